"""Whatever sequence of bookings, reschedules and cancellations the customers try, the schedule stays sound.

After every sequence: no two active reservations of one instrument overlap (setup buffers included), and every
active booking obeys every rule: open day, opening hours, notice, advance, weekly quota, one in-service
instrument of each kind calibrated through the work's end.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import Session, col, select

from labsys.audit import Actor
from labsys.bookings import creation, steps
from labsys.bookings.models import Booking, Sample
from labsys.bookings.queries import INACTIVE_STATUSES
from labsys.equipment.models import Instrument
from labsys.errors import Conflict
from labsys.scheduling import Quota, SchedulingPolicy, Slot, first_slot
from labsys.scheduling.context import read_context
from labsys.scheduling.models import Reservation
from labsys.scheduling.rules import evaluate
from labsys.settings import Settings, load_settings
from tests.factories import Lab, make_instrument
from tests.labsys.scheduling.support import NOW, booking_in, kst

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: Starts on and off the grid, across a week with a weekend, before opening and running past closing.
STARTS = [kst(2026, 12, d, h, m) for d in (1, 2, 4, 5, 7) for h in (8, 9, 10, 11, 16, 17) for m in (0, 30, 45)]


@dataclass(frozen=True)
class Create:
    customer: int
    code: str
    start: datetime | str


@dataclass(frozen=True)
class Reschedule:
    booking: int
    start: datetime | str


@dataclass(frozen=True)
class Cancel:
    booking: int


starts = st.one_of(st.sampled_from(STARTS), st.just("earliest"))
operations = st.lists(
    st.one_of(
        st.builds(Create, st.integers(0, 1), st.sampled_from(["DIODE-IV", "RES-4W-TCR"]), starts),
        st.builds(Reschedule, st.integers(0, 20), starts),
        st.builds(Cancel, st.integers(0, 20)),
    ),
    min_size=1,
    max_size=14,
)


def _apply(session: Session, lab: Lab, policy: SchedulingPolicy, operation: object, booked: list[int]) -> None:
    customers = [lab.customer, lab.other_customer]
    try:
        if isinstance(operation, Create):
            customer = customers[operation.customer]
            booking = creation.create_booking(
                session=session,
                booking_in=booking_in(operation.start, code=operation.code),
                company_id=customer.company_id or 0,
                requested_by_id=customer.id or 0,
                actor=Actor(customer.email, customer.id),
                policy=policy,
                now=NOW,
            )
            booked.append(booking.id or 0)
        elif booked and isinstance(operation, Reschedule):
            steps.reschedule_booking(
                session=session,
                booking_id=booked[operation.booking % len(booked)],
                start=operation.start,
                company_id=None,
                actor=Actor("staff"),
                policy=policy,
                now=NOW,
            )
        elif booked and isinstance(operation, Cancel):
            booking_id = booked[operation.booking % len(booked)]
            steps.cancel_booking(session=session, booking_id=booking_id, company_id=None, actor=Actor("staff"))
        session.commit()
    except Conflict:  # a rule or the lifecycle refused: nothing may have changed
        session.rollback()


def _assert_no_overlap(reservations: list[Reservation]) -> None:
    by_instrument = sorted(reservations, key=lambda r: (r.instrument_id, r.starts_at))
    for _, group in itertools.groupby(by_instrument, key=lambda r: r.instrument_id):
        for earlier, later in itertools.pairwise(group):
            assert earlier.blocked_until <= later.starts_at


def _assert_rules_hold(session: Session, policy: SchedulingPolicy, reservations: list[Reservation]) -> None:
    instruments = {i.id: i for i in session.exec(select(Instrument)).all()}
    bookings = session.exec(select(Booking).where(col(Booking.status).not_in(INACTIVE_STATUSES))).all()
    weeks: Counter[tuple[int, date]] = Counter()
    for booking in bookings:
        assert booking.starts_at is not None
        assert booking.ends_at is not None
        held = [r for r in reservations if r.booking_id == booking.id]
        assert len(held) == len({instruments[r.instrument_id].kind for r in held}) >= 1
        assert policy.closed_reason(policy.lab_date(booking.starts_at)) is None
        assert policy.within_opening_hours(booking.starts_at, booking.ends_at)
        assert NOW + policy.min_notice <= booking.starts_at <= NOW + policy.max_advance
        for reservation in held:
            instrument = instruments[reservation.instrument_id]
            assert (reservation.starts_at, reservation.ends_at) == (booking.starts_at, booking.ends_at)
            assert reservation.blocked_until == booking.ends_at + timedelta(minutes=instrument.setup_buffer_min)
            assert instrument.usable_on(policy.lab_date(booking.ends_at))
        weeks[(booking.company_id, policy.week_of(booking.starts_at))] += 1
    assert all(count <= policy.weekly_quota for count in weeks.values())
    cancelled = session.exec(select(Booking).where(col(Booking.status).in_(INACTIVE_STATUSES))).all()
    assert not {b.id for b in cancelled} & {r.booking_id for r in reservations}


def _replay(session: Session, lab: Lab, policy: SchedulingPolicy, sequence: list[object]) -> None:
    """Try each operation of ``sequence`` in turn on a lab with no bookings (hypothesis reuses the database)."""
    for table in (Reservation, Sample, Booking):
        session.exec(delete(table))  # type: ignore[call-overload]
    session.commit()
    booked: list[int] = []
    for operation in sequence:
        _apply(session, lab, policy, operation, booked)


@pytest.fixture
def small_quota(settings: Settings) -> SchedulingPolicy:
    return SchedulingPolicy.from_settings(
        load_settings(data_dir=settings.data_dir, database_url=settings.database_url, booking_weekly_quota=3)
    )


@pytest.fixture
def busy_lab(session: Session, lab: Lab) -> Lab:
    """Two SMUs (one with no setup buffer), and a DMM whose calibration lapses mid-week."""
    make_instrument(session, "smu", "SMU-02", setup_buffer_min=0)
    lab.instruments["DMM-01"].calibration_due = date(2026, 12, 3)
    session.add(lab.instruments["DMM-01"])
    session.commit()
    return lab


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=operations)
def test_any_sequence_of_bookings_reschedules_and_cancels_keeps_the_schedule_sound(
    session: Session, busy_lab: Lab, small_quota: SchedulingPolicy, sequence: list[object]
) -> None:
    _replay(session, busy_lab, small_quota, sequence)
    reservations = list(session.exec(select(Reservation).where(col(Reservation.active))).all())
    _assert_no_overlap(reservations)
    _assert_rules_hold(session, small_quota, reservations)


def _every_free_start(session: Session, lab: Lab, policy: SchedulingPolicy, code: str, quota: Quota) -> list[datetime]:
    """The free starts of the horizon found the slow way: every grid start judged on its own."""
    method = lab.methods[code]
    since, until = policy.earliest_start(NOW), policy.latest_start(NOW) + timedelta(microseconds=1)
    ctx = read_context(session, method=method, policy=policy, now=NOW, since=since, until=until, quota=quota)
    grid = policy.grid_starts(since, until, timedelta(minutes=method.duration_min))
    return [start for start in grid if isinstance(evaluate(ctx, start), Slot)]


bookings = st.lists(
    st.builds(Create, st.integers(0, 1), st.sampled_from(["DIODE-IV", "RES-4W-TCR"]), starts), max_size=20
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=bookings, code=st.sampled_from(["DIODE-IV", "RES-4W-TCR"]), after=st.sampled_from(STARTS))
def test_the_next_free_slot_skipping_what_is_busy_is_the_first_a_slot_by_slot_search_finds(
    session: Session, lab: Lab, policy: SchedulingPolicy, sequence: list[object], code: str, after: datetime
) -> None:
    _replay(session, lab, policy, sequence)
    quota = creation.company_quota(session, company_id=lab.company.id or 0, policy=policy, now=NOW)
    method = lab.methods[code]
    found = first_slot(session=session, method=method, policy=policy, now=NOW, after=after, quota=quota)
    expected = [start for start in _every_free_start(session, lab, policy, code, quota) if start >= after]
    assert (found.start if found else None) == (expected[0] if expected else None)
    session.rollback()

"""Over generated small labs and workloads written to the database, every placement the planner proposes passes the
scheduling rules the API uses: on an instrument in service, calibrated and out of downtime, free of other work; by
an engineer qualified, on shift, off leave and free; within opening hours and after the notice."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import Session, col, select

from labsys.bookings.models import Booking, BookingStatus, Sample, Urgency
from labsys.companies.models import Role, User
from labsys.equipment.models import Instrument
from labsys.methods.models import TestMethod
from labsys.planning.models import PlanProposal
from labsys.planning.proposal import plan
from labsys.planning.reading import read_problem
from labsys.planning.validity import violations
from labsys.scheduling import SchedulingPolicy, hold
from labsys.scheduling.context import read_context
from labsys.scheduling.models import Downtime, DowntimeKind, EngineerLeave, EngineerShift, Reservation
from labsys.scheduling.rules import Refusal, judge
from labsys.settings import Settings
from tests.factories import Lab, make_instrument, make_user
from tests.labsys.planning.lab import NOW, kst, waiting_booking

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TAGS = ["SMU-01", "SMU-02", "DMM-01", "DMM-02", "TEMP-01", "AWG-01", "SCOPE-01", "LCR-01"]
CODES = ["DIODE-IV", "RES-4W-TCR", "STEP-RISE", "CAP-CD"]
KINDS = ["smu", "dmm", "temperature", "awg", "scope", "lcr"]
#: Starts two hours apart, so that slots written at them never overlap on one instrument.
SLOTS = [kst(d, h) for d in (1, 2, 3) for h in (9, 11, 13, 15)]

downtimes = st.lists(
    st.tuples(st.sampled_from(TAGS), st.integers(1, 4), st.integers(9, 16), st.integers(1, 9)), max_size=3
)
workloads = st.lists(
    st.tuples(
        st.sampled_from(CODES),
        st.booleans(),  # urgent
        st.one_of(st.none(), st.integers(0, len(SLOTS) - 1)),  # the slot it holds, if any
        st.booleans(),  # sample in
        st.booleans(),  # fixed work (testing) rather than waiting
    ),
    min_size=1,
    max_size=8,
)


@pytest.fixture
def policy(settings: Settings) -> SchedulingPolicy:
    return SchedulingPolicy.from_settings(settings)


@pytest.fixture
def planning_lab(session: Session, lab: Lab) -> Lab:
    """The test lab with a second SMU and DMM and a second engineer."""
    make_instrument(session, "smu", "SMU-02", setup_buffer_min=0)
    make_instrument(session, "dmm", "DMM-02")
    make_user(session, Role.ENGINEER, qualifications=["smu", "dmm"])
    return lab


def _reset(session: Session) -> None:
    for table in (Reservation, Sample, Booking, Downtime, EngineerShift, EngineerLeave, PlanProposal):
        session.exec(delete(table))
    for instrument in session.exec(select(Instrument)):
        instrument.calibration_due = date(2028, 1, 1)
        session.add(instrument)
    session.commit()


def _write_lab(
    session: Session,
    lab: Lab,
    blocks: list[tuple[str, int, int, int]],
    lapsed: str | None,
    second_qualified: list[str],
    shifts: bool,
    leave_day: int | None,
) -> None:
    instruments = {i.asset_tag: i for i in session.exec(select(Instrument))}
    for tag, day, hour, hours in blocks:
        session.add(
            Downtime(
                instrument_id=instruments[tag].id or 0, kind=DowntimeKind.MAINTENANCE, starts_at=kst(day, hour),
                ends_at=kst(day, hour) + timedelta(hours=hours), reason="generated",
            )
        )  # fmt: skip
    if lapsed is not None:
        instruments[lapsed].calibration_due = date(2026, 12, 2)
    engineers = session.exec(select(User).where(User.role == Role.ENGINEER).order_by(col(User.id))).all()
    second = engineers[-1]
    second.qualifications = second_qualified
    session.add_all([*instruments.values(), second])
    if shifts:
        session.add_all(
            EngineerShift(engineer_id=lab.engineer.id or 0, weekday=d, starts_at=time(13), ends_at=time(18))
            for d in range(5)
        )
    if leave_day is not None:
        off = date(2026, 12, leave_day)
        session.add(EngineerLeave(engineer_id=second.id or 0, first_day=off, last_day=off, reason="leave"))
    session.commit()


def _write_work(session: Session, lab: Lab, work: list[tuple[str, bool, int | None, bool, bool]]) -> None:
    methods = {m.code: m for m in session.exec(select(TestMethod))}
    instruments = {i.kind: i for i in session.exec(select(Instrument).order_by(col(Instrument.asset_tag).desc()))}
    taken: set[int] = set()
    for code, urgent, slot, sample_in, fixed in work:
        method = methods[code]
        start = None if slot is None or slot in taken else SLOTS[slot]  # one slot per start: none overlap
        taken.add(-1 if slot is None else slot)
        booking = waiting_booking(
            session, method=method, customer=lab.customer, start=start,
            instruments=[] if start is None else [instruments[k] for k in method.instrument_kinds],
            engineer=lab.engineer, received_at=NOW - timedelta(days=1) if sample_in else None,
            urgency=Urgency.URGENT if urgent else Urgency.STANDARD,
        )  # fmt: skip
        if fixed and start is not None:
            booking.status = BookingStatus.TESTING
            session.add(booking)
            session.commit()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    blocks=downtimes,
    lapsed=st.one_of(st.none(), st.sampled_from(TAGS)),
    second_qualified=st.lists(st.sampled_from(KINDS), unique=True),
    shifts=st.booleans(),
    leave_day=st.one_of(st.none(), st.integers(1, 4)),
    work=workloads,
)
def test_every_placement_the_planner_proposes_passes_the_scheduling_rules(
    session: Session,
    planning_lab: Lab,
    policy: SchedulingPolicy,
    blocks: list[tuple[str, int, int, int]],
    lapsed: str | None,
    second_qualified: list[str],
    shifts: bool,
    leave_day: int | None,
    work: list[tuple[str, bool, int | None, bool, bool]],
) -> None:
    _reset(session)
    _write_lab(session, planning_lab, blocks, lapsed, second_qualified, shifts, leave_day)
    _write_work(session, planning_lab, work)
    week_start, week_end = policy.week_bounds(date(2026, 11, 30))
    lab = read_problem(session, policy=policy, now=NOW, start=week_start, end=week_end)
    proposal = plan(lab.problem, time_limit_s=2, workers=1)

    assert violations(lab.problem, proposal.schedule) == []
    assert all(c.reason for c in proposal.of("unplaceable"))
    # Judge every placement as apply does: the re-planned bookings' old slots freed, the placements held one by one,
    # each judged by the rules module against the fixed work and the placements held before it.
    for booking in lab.problem.bookings:
        for reservation in session.exec(select(Reservation).where(Reservation.booking_id == booking.id)):
            reservation.active = False
            session.add(reservation)
    session.flush()
    methods = {b.id: b.method_id for b in session.exec(select(Booking))}
    for placement in sorted(proposal.schedule.values(), key=lambda p: p.start):
        method = session.get(TestMethod, methods[placement.booking_id])
        assert method is not None
        ctx = read_context(
            session, method=method, policy=policy, now=NOW, since=placement.start,
            until=placement.start + timedelta(minutes=1), quota=None, ignore_booking_id=placement.booking_id,
        )  # fmt: skip
        slot = judge(ctx, placement.start, placement.instrument_ids, placement.engineer_id)
        assert not isinstance(slot, Refusal), (placement, slot)
        assert slot.end == placement.end
        hold(session, placement.booking_id, slot)  # the database's no-overlap guarantee agrees
    session.rollback()

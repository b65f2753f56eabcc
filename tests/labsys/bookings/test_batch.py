"""A batch of bookings is judged booking by booking against the ones before it, and written together."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from labsys.audit import verify_chain
from labsys.bookings.batch import BookingRequest, Outcome, record_batch
from labsys.bookings.models import Booking, Reservation
from labsys.bookings.schemas import BookingPublic
from labsys.errors import RuleViolation
from labsys.scheduling import SchedulingPolicy
from labsys.settings import Settings, load_settings
from tests.factories import Lab
from tests.labsys.scheduling.support import booking_request, kst

pytestmark = pytest.mark.integration


def _record(session: Session, requests: list[BookingRequest], policy: SchedulingPolicy) -> list[Outcome]:
    outcomes = record_batch(session, requests, policy)
    session.commit()
    return outcomes


def _reservations(session: Session) -> list[Reservation]:
    return list(session.exec(select(Reservation).order_by(col(Reservation.starts_at))).all())


def test_a_booking_overlapping_an_earlier_one_of_its_batch_is_refused_and_offered_the_next_free_slot(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    first, overlapping, later = _record(
        session,
        [
            booking_request(lab, kst(2026, 12, 2, 10)),
            booking_request(lab, kst(2026, 12, 2, 10, 30)),
            booking_request(lab, kst(2026, 12, 2, 14)),
        ],
        policy,
    )
    assert isinstance(first, BookingPublic)
    assert isinstance(later, BookingPublic)
    assert isinstance(overlapping, RuleViolation)
    assert overlapping.rule == "slot_taken"
    # The lab's one SMU is busy 10:00-11:15 (an hour's work, 15 minutes' setup): the next start on the grid.
    assert overlapping.extra["next_slot"] == kst(2026, 12, 2, 11, 30).isoformat()
    held = _reservations(session)
    assert [(r.starts_at, r.booking_id) for r in held] == [
        (kst(2026, 12, 2, 10), first.id),
        (kst(2026, 12, 2, 14), later.id),
    ]
    assert verify_chain(session)[1] is None


@pytest.fixture
def quota_of_two(settings: Settings) -> SchedulingPolicy:
    return SchedulingPolicy.from_settings(
        load_settings(data_dir=settings.data_dir, database_url=settings.database_url, booking_weekly_quota=2)
    )


def test_the_weekly_quota_counts_the_bookings_of_the_same_batch(
    session: Session, lab: Lab, quota_of_two: SchedulingPolicy
) -> None:
    outcomes = _record(
        session,
        [
            booking_request(lab, kst(2026, 12, 1, 10)),
            booking_request(lab, kst(2026, 12, 2, 10)),
            booking_request(lab, kst(2026, 12, 3, 10)),  # a third in the week of 30 November
            booking_request(lab, kst(2026, 12, 8, 10)),  # the next week
        ],
        quota_of_two,
    )
    assert [type(o).__name__ for o in outcomes] == ["BookingPublic", "BookingPublic", "RuleViolation", "BookingPublic"]
    refused = outcomes[2]
    assert isinstance(refused, RuleViolation)
    assert refused.rule == "weekly_quota"
    assert len(session.exec(select(Booking)).all()) == 3


def test_earliest_in_a_batch_takes_the_first_slot_left_by_the_bookings_before_it(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    # With 24 hours' notice, Tuesday 1 December 09:00 is the first bookable start.
    first, earliest = _record(
        session, [booking_request(lab, kst(2026, 12, 1, 9)), booking_request(lab, "earliest")], policy
    )
    assert isinstance(first, BookingPublic)
    assert isinstance(earliest, BookingPublic)
    assert earliest.starts_at == kst(2026, 12, 1, 10, 30)  # after 09:00-10:15 on the one SMU, on the grid
    assert len(_reservations(session)) == 2
    assert verify_chain(session)[1] is None


def test_a_group_the_database_refuses_is_written_again_one_by_one_so_only_the_faulty_booking_fails(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    no_such_user = 999_999  # passes every scheduling rule; the database's foreign key refuses it
    first, faulty, last = _record(
        session,
        [
            booking_request(lab, kst(2026, 12, 2, 10)),
            booking_request(lab, kst(2026, 12, 2, 12), requested_by_id=no_such_user),
            booking_request(lab, kst(2026, 12, 2, 14)),
        ],
        policy,
    )
    assert isinstance(first, BookingPublic)
    assert isinstance(last, BookingPublic)
    assert isinstance(faulty, IntegrityError)
    stored = session.exec(select(Booking).order_by(col(Booking.id))).all()
    assert [(b.id, b.starts_at) for b in stored] == [
        (first.id, kst(2026, 12, 2, 10)),
        (last.id, kst(2026, 12, 2, 14)),
    ]
    assert len(_reservations(session)) == 2
    assert verify_chain(session)[1] is None

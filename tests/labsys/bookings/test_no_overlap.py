"""The database itself refuses two active reservations of one instrument that overlap, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from labsys.bookings.models import Booking
from labsys.errors import RuleViolation
from labsys.migrations import upgrade
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.context import Occupancy
from labsys.scheduling.models import NO_OVERLAP, Reservation
from tests.conftest import TestDatabase
from tests.factories import Lab, another_engineer, make_lab
from tests.labsys.scheduling.support import book, kst

pytestmark = pytest.mark.integration

START = kst(2026, 12, 2, 10)


def _reserve(
    session: Session, lab: Lab, booking: Booking, start: datetime, minutes: int = 60, *, active: bool = True
) -> None:
    session.add(
        Reservation(
            booking_id=booking.id or 0,
            instrument_id=lab.instruments["SMU-01"].id or 0,
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            blocked_until=start + timedelta(minutes=minutes + 15),
            active=active,
        )
    )
    session.flush()


def _check_the_guarantee(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    booking = book(session, lab, START, policy=policy)  # holds SMU-01 10:00-11:00, blocked until 11:15
    _reserve(session, lab, booking, START + timedelta(minutes=75))  # starts as the buffer ends: fine
    _reserve(session, lab, booking, START + timedelta(minutes=30), active=False)  # inactive rows block nothing
    session.commit()
    with pytest.raises(IntegrityError, match=NO_OVERLAP):
        _reserve(session, lab, booking, START + timedelta(minutes=70))  # inside the setup buffer
    session.rollback()


def test_an_overlapping_reservation_written_behind_the_services_back_is_refused(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    _check_the_guarantee(session, lab, policy)


def test_reactivating_a_reservation_into_a_taken_slot_is_refused(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking = book(session, lab, START, policy=policy)
    _reserve(session, lab, booking, START, active=False)
    session.commit()
    cancelled = session.get(Reservation, 2)
    assert cancelled is not None
    cancelled.active = True
    session.add(cancelled)
    with pytest.raises(IntegrityError, match=NO_OVERLAP):
        session.flush()
    session.rollback()


def test_a_database_built_by_the_migrations_gives_the_same_guarantee(
    test_database: TestDatabase, policy: SchedulingPolicy
) -> None:
    engine = test_database.engine()
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        _check_the_guarantee(session, make_lab(session), policy)
    engine.dispose()


def test_when_the_database_refuses_an_overlap_the_booking_is_refused_as_slot_taken(
    session: Session, lab: Lab, policy: SchedulingPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    book(session, lab, START, policy=policy)
    another_engineer(session, lab)
    # As if a concurrent transaction had committed the slot after our check: the check sees it free.
    monkeypatch.setattr(Occupancy, "free_from", lambda *_args: None)
    with pytest.raises(RuleViolation) as refused:
        book(session, lab, START, policy=policy, customer=lab.other_customer)
    assert refused.value.rule == "slot_taken"
    session.rollback()

"""No-shows: a slot that began more than the no-show time ago with no run started is released, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from labsys.audit import Actor, AuditEvent
from labsys.bookings.models import Booking
from labsys.bookings.no_show import release_no_shows, sweep_no_shows
from labsys.bookings.steps import reschedule_booking
from labsys.db import Database
from labsys.errors import Conflict
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import ReleaseReason, Reservation
from labsys.settings import Settings
from tests.factories import Lab
from tests.labsys.runs.real_use import booked_and_received, queue
from tests.labsys.scheduling.support import NOW, kst

pytestmark = pytest.mark.integration

#: Wednesday 2 December 2026, 10:00-11:00 in Seoul.
SLOT = kst(2026, 12, 2, 10)
GRACE = timedelta(minutes=60)


@pytest.fixture
def policy(settings: Settings) -> SchedulingPolicy:
    return SchedulingPolicy.from_settings(settings)


def _active(session: Session, booking: Booking) -> list[Reservation]:
    query = select(Reservation).where(Reservation.booking_id == booking.id, col(Reservation.active))
    return list(session.exec(query.execution_options(populate_existing=True)).all())


def _no_show_events(session: Session) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == "booking.no_show")).all())


def test_a_no_show_is_released_after_the_grace_time_and_not_before(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking, _ = booked_and_received(session, lab, SLOT, policy)
    assert release_no_shows(session=session, now=SLOT + GRACE - timedelta(seconds=1), grace=GRACE) == []
    assert len(_active(session, booking)) == 1

    assert release_no_shows(session=session, now=SLOT + GRACE, grace=GRACE) == [booking.id]
    session.commit()
    assert _active(session, booking) == []
    session.refresh(booking)
    assert booking.no_show_at == SLOT + GRACE
    assert booking.status == "sample_received"  # the receipt stands; the lab and customer reschedule it
    (released,) = session.exec(select(Reservation).where(Reservation.booking_id == booking.id)).all()
    assert (released.release_reason, released.released_at) == (ReleaseReason.NO_SHOW, SLOT + GRACE)
    (event,) = _no_show_events(session)
    assert event.entity_id == str(booking.id)
    assert event.after is not None
    assert event.after["no_show_min"] == 60
    assert len(event.after["released_reservations"]) == 1


def test_sweeping_twice_releases_once(session: Session, db: Database, lab: Lab, policy: SchedulingPolicy) -> None:
    booking, _ = booked_and_received(session, lab, SLOT, policy)
    later = SLOT + timedelta(hours=3)
    assert sweep_no_shows(db, grace=GRACE, now=later) == [booking.id]
    assert sweep_no_shows(db, grace=GRACE, now=later + timedelta(minutes=1)) == []
    assert len(_no_show_events(session)) == 1
    assert session.get(Booking, booking.id, populate_existing=True).no_show_at == later  # type: ignore[union-attr]


def test_a_booking_whose_run_started_is_not_a_no_show(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    booking, (sample,) = booked_and_received(session, lab, SLOT, policy)
    queue(session, lab, sample, now=SLOT + timedelta(minutes=5))  # queued, waiting for its station
    assert release_no_shows(session=session, now=SLOT + timedelta(hours=2), grace=GRACE) == []
    assert len(_active(session, booking)) == 1


def test_after_a_no_show_a_run_is_refused_until_the_booking_is_rescheduled(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking, (sample,) = booked_and_received(session, lab, SLOT, policy)
    release_no_shows(session=session, now=SLOT + GRACE, grace=GRACE)
    session.commit()
    with pytest.raises(Conflict, match="reschedule it first"):
        queue(session, lab, sample, now=SLOT + GRACE)
    session.rollback()

    later = kst(2026, 12, 3, 14)
    reschedule_booking(
        session=session,
        booking_id=booking.id or 0,
        start=later,
        company_id=None,
        actor=Actor(lab.engineer.email, lab.engineer.id),
        policy=policy,
        now=NOW,
    )
    session.commit()
    session.refresh(booking)
    assert booking.no_show_at is None
    assert [r.starts_at for r in _active(session, booking)] == [later]
    every = session.exec(select(Reservation).where(Reservation.booking_id == booking.id).order_by(col(Reservation.id)))
    assert [(r.starts_at, r.release_reason) for r in every] == [(SLOT, ReleaseReason.NO_SHOW), (later, None)]
    assert queue(session, lab, sample, now=later).id is not None

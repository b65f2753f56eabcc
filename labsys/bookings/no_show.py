"""No-shows: a slot that began more than the no-show time ago with no run started is released.

The booking keeps its status (its samples' receipt still stands) and records ``no_show_at``; its reservations record
``release_reason`` ``no_show``, which stays when the booking is rescheduled (utilisation counts that time as held
and wasted). It holds no instrument time until the customer or the lab reschedules it. Only bookings that can be
rescheduled are swept: a run queued moves a booking to testing, so a booking still in one of those states has had
no run.

Each booking is released by one conditional ``UPDATE … WHERE active``: when two processes sweep at once (two
stations), one releases it and records it, the other finds nothing left to release. Sweeping again changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, col, select

from labsys.audit import SYSTEM, Actor, record
from labsys.bookings.models import Booking, booking_snapshot
from labsys.bookings.steps import RESCHEDULABLE
from labsys.db import Database
from labsys.db.types import utcnow
from labsys.scheduling.models import ReleaseReason, Reservation

__all__ = ["release_no_shows", "sweep_no_shows"]


def _late(cutoff: datetime) -> list[ColumnElement[bool]]:
    """Active reservations that began at or before ``cutoff``, of a booking no run has started on."""
    waiting = select(Booking.id).where(col(Booking.status).in_(RESCHEDULABLE))
    return [
        col(Reservation.active).is_(True),
        col(Reservation.starts_at) <= cutoff,
        col(Reservation.actual_start).is_(None),
        col(Reservation.booking_id).in_(waiting),
    ]


def release_no_shows(*, session: Session, now: datetime, grace: timedelta, actor: Actor = SYSTEM) -> list[int]:
    """Release the slot of every booking whose reservation began more than ``grace`` before ``now`` with no run
    started; each is audited as ``booking.no_show`` with the reservations released. Returns the bookings' ids."""
    cutoff = now - grace
    candidates = session.exec(select(Reservation.booking_id).where(*_late(cutoff)).distinct()).all()
    released = []
    for booking_id in sorted(candidates):
        freed = session.exec(select(Reservation.id).where(Reservation.booking_id == booking_id, *_late(cutoff))).all()
        done = session.execute(
            update(Reservation)
            .where(col(Reservation.booking_id) == booking_id, *_late(cutoff))
            .values(active=False, released_at=now, release_reason=ReleaseReason.NO_SHOW)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 0:  # type: ignore[attr-defined]
            continue  # another sweep released it first
        booking = session.get(Booking, booking_id, populate_existing=True)
        assert booking is not None  # noqa: S101 - a foreign key
        before = booking_snapshot(booking)
        booking.no_show_at, booking.updated_at = now, now
        session.add(booking)
        session.flush()
        after = {
            **booking_snapshot(booking),
            "released_reservations": sorted(i or 0 for i in freed),
            "no_show_min": grace // _MINUTE,
        }
        record(session, actor=actor, action="booking.no_show", entity_type="booking", entity_id=booking_id,
               before=before, after=after)  # fmt: skip
        released.append(booking_id)
    return released


_MINUTE = timedelta(minutes=1)


def sweep_no_shows(db: Database, *, grace: timedelta, now: datetime | None = None) -> list[int]:
    """Release the no-shows in a write transaction of their own (see :func:`release_no_shows`)."""
    with db.writing() as session:
        return release_no_shows(session=session, now=now or utcnow(), grace=grace)

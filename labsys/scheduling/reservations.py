"""Holding and freeing instrument time, with the database as the final judge of overlaps."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from labsys.equipment.models import Instrument
from labsys.errors import RuleViolation
from labsys.scheduling.models import NO_OVERLAP, ReleaseReason, Reservation
from labsys.scheduling.rules import Slot

__all__ = ["end_with_use", "hold", "release"]


def hold(session: Session, booking_id: int, slot: Slot) -> list[Reservation]:
    """Reserve the slot's instruments for the booking: ``[start, end)``, blocked until end plus setup buffer, and
    give its work to the slot's engineer.

    Raises:
        RuleViolation: ``slot_taken``, when the database refuses an overlap; the caller's transaction must then
            end (the rules read under the lab's write lock, so this is the database's last word, seldom heard).
    """
    reservations = [
        Reservation(
            booking_id=booking_id,
            instrument_id=instrument.id,
            starts_at=slot.start,
            ends_at=slot.end,
            blocked_until=slot.blocked_until(instrument),
            booked_ends_at=slot.end,
            engineer_id=slot.engineer_id,
        )
        for instrument in slot.instruments
    ]
    session.add_all(reservations)
    try:
        session.flush()
    except IntegrityError as exc:
        if NO_OVERLAP not in str(exc.orig):
            raise
        raise RuleViolation(
            "slot_taken",
            f"slot_taken: another booking took {slot.start.isoformat()} a moment ago; ask for availability again",
            next_slot=None,
        ) from exc
    return reservations


def release(session: Session, booking_id: int, *, reason: ReleaseReason, at: datetime) -> None:
    """Free every instrument the booking holds, at once: the time is bookable by anyone as soon as we commit. Each
    reservation records when (``at``) and why it was released."""
    for reservation in session.exec(
        select(Reservation).where(Reservation.booking_id == booking_id, col(Reservation.active))
    ):
        reservation.active = False
        reservation.released_at, reservation.release_reason = at, reason
        session.add(reservation)
    session.flush()


def end_with_use(session: Session, booking_id: int, ended_at: datetime) -> list[Reservation]:
    """End the booking's active reservations when its work ended at ``ended_at``: each ends then (blocked until then
    plus its instrument's setup buffer), never later than booked and never before it starts, keeping its booked end
    in ``booked_ends_at``. The rest of the slot is free to anyone as soon as we commit.

    Returns the reservations that shrank (none when the work took the whole slot or more).
    """
    rows = session.exec(
        select(Reservation, Instrument)
        .join(Instrument, col(Instrument.id) == col(Reservation.instrument_id))
        .where(Reservation.booking_id == booking_id, col(Reservation.active))
    ).all()
    shrunk = []
    for reservation, instrument in rows:
        start = reservation.starts_at
        end = min(reservation.ends_at, max(start, ended_at))
        blocked = min(reservation.blocked_until, max(start, ended_at + timedelta(minutes=instrument.setup_buffer_min)))
        if (end, blocked) == (reservation.ends_at, reservation.blocked_until):
            continue
        reservation.booked_ends_at = reservation.booked_ends_at or reservation.ends_at
        reservation.ends_at, reservation.blocked_until = end, blocked
        session.add(reservation)
        shrunk.append(reservation)
    session.flush()
    return shrunk

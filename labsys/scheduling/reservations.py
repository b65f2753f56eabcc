"""Holding and freeing instrument time, with the database as the final judge of overlaps."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from labsys.errors import RuleViolation
from labsys.scheduling.models import NO_OVERLAP, Reservation
from labsys.scheduling.rules import Slot

__all__ = ["hold", "release"]


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


def release(session: Session, booking_id: int) -> None:
    """Free every instrument the booking holds, at once: the time is bookable by anyone as soon as we commit."""
    for reservation in session.exec(
        select(Reservation).where(Reservation.booking_id == booking_id, col(Reservation.active))
    ):
        reservation.active = False
        session.add(reservation)
    session.flush()

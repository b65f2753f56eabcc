"""Holding and freeing instrument time, with the database as the final judge of overlaps."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from labsys.audit import AuditHead
from labsys.bookings.models import NO_OVERLAP, Booking, Reservation
from labsys.bookings.schemas import ReservationPublic
from labsys.db.types import table_of
from labsys.errors import RuleViolation
from labsys.scheduling import Slot

__all__ = ["active_reservations", "hold", "hold_all", "queue_behind_other_writers", "release"]


def queue_behind_other_writers(session: Session) -> None:
    """Wait for every other transaction that changes bookings to finish, before reading the schedule.

    Every change to the lab appends to the audit chain, which locks its head row until the transaction ends;
    taking that lock first (PostgreSQL ``SELECT … FOR UPDATE``) means the rules then read every booking
    committed before us, so quotas and free checks are exact, and two transactions never wait on each other
    in opposite orders (no deadlock between the head row and a reservation). On SQLite every transaction
    already starts with ``BEGIN IMMEDIATE`` (see :func:`labsys.db.create_lab_engine`), which serialises writers
    the same way. Either way the database's no-overlap guarantee stays the last word.
    """
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":  # SQLite's BEGIN IMMEDIATE has already queued us
        session.exec(select(AuditHead.id).where(AuditHead.id == 1).with_for_update()).first()


_RESERVATIONS = table_of(Reservation)
_NEW_RESERVATIONS = insert(_RESERVATIONS)


def hold(session: Session, booking_id: int, slot: Slot) -> list[ReservationPublic]:
    """Reserve the slot's instruments for the booking: ``[start, end)``, blocked until end plus setup buffer.

    Raises:
        RuleViolation: ``slot_taken``, when the database refuses an overlap (another booking got there first).
    """
    return hold_all(session, [(booking_id, slot)])[0]


def hold_all(session: Session, slots: Sequence[tuple[int, Slot]]) -> list[list[ReservationPublic]]:
    """Reserve each ``(booking_id, slot)``'s instruments in one statement; what each booking holds, in order.

    Raises:
        RuleViolation: ``slot_taken``, when the database refuses an overlap (another booking got there first).
    """
    held = [
        [
            ReservationPublic(
                instrument=instrument.asset_tag,
                kind=instrument.kind,
                starts_at=slot.start,
                ends_at=slot.end,
                blocked_until=slot.blocked_until(instrument),
                active=True,
            )
            for instrument in slot.instruments
        ]
        for _, slot in slots
    ]
    rows = [
        {
            "booking_id": booking_id,
            "instrument_id": instrument.id,
            "starts_at": slot.start,
            "ends_at": slot.end,
            "blocked_until": reservation.blocked_until,
            "active": True,
        }
        for (booking_id, slot), reservations in zip(slots, held, strict=True)
        for instrument, reservation in zip(slot.instruments, reservations, strict=True)
    ]
    try:
        session.connection().execute(_NEW_RESERVATIONS, rows)
    except IntegrityError as exc:
        if NO_OVERLAP not in str(exc.orig):
            raise
        starts = ", ".join(sorted({slot.start.isoformat() for _, slot in slots}))
        raise RuleViolation(
            "slot_taken",
            f"slot_taken: another booking took {starts} a moment ago; ask for availability again",
            next_slot=None,
        ) from exc
    return held


def release(session: Session, booking: Booking) -> None:
    """Free every instrument the booking holds, at once: the time is bookable by anyone as soon as we commit."""
    session.exec(
        update(Reservation)
        .where(col(Reservation.booking_id) == booking.id, col(Reservation.active))
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
    session.flush()


def active_reservations(session: Session, booking_id: int) -> list[Reservation]:
    """The reservations a booking holds now."""
    return list(
        session.exec(select(Reservation).where(Reservation.booking_id == booking_id, col(Reservation.active))).all()
    )

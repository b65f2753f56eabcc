"""Testing a booking: whether it may start, and the step itself, taken by the runs as they are queued.

:func:`mark_testing` is idempotent (a booking with three samples starts testing once, however many runs start),
records the step in the audit trail, and refuses a step the lifecycle does not allow with
:class:`~labsys.errors.Conflict` naming the current status and what is allowed.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from labsys.audit import Actor
from labsys.bookings.lifecycle import REOPENED_BY_REVOCATION, move
from labsys.bookings.models import Booking, BookingStatus, Sample
from labsys.errors import NotFound, RuleViolation

__all__ = ["READY_FOR_TESTING", "ensure_ready_for_testing", "mark_testing"]

#: A run may start on a booking in these states.
READY_FOR_TESTING = (BookingStatus.SAMPLE_RECEIVED, BookingStatus.TESTING, BookingStatus.IN_REVIEW)


def ensure_ready_for_testing(*, session: Session, booking: Booking) -> None:
    """Check that testing may start (or continue) on the booking: its samples have been received.

    Raises:
        RuleViolation: ``sample_receipt``: the samples have not been received (or the booking ended).
    """
    if booking.status in REOPENED_BY_REVOCATION:
        raise RuleViolation(
            "sample_receipt",
            f"booking {booking.id} is {booking.status.value}: its test report stands; to test again, revoke the "
            "certificate first, which returns the booking to review",
            status=booking.status.value,
        )
    if booking.status not in READY_FOR_TESTING:
        raise RuleViolation(
            "sample_receipt",
            f"booking {booking.id} is {booking.status.value}: testing starts only after its samples are received",
            status=booking.status.value,
        )
    waiting = session.exec(
        select(func.count())
        .select_from(Sample)
        .where(Sample.booking_id == booking.id, col(Sample.received_at).is_(None))
    ).one()
    if waiting:
        raise RuleViolation("sample_receipt", f"booking {booking.id} has {waiting} sample(s) not yet received")


def _booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(f"booking {booking_id} not found")
    return booking


def _step(session: Session, booking: Booking, to: BookingStatus, actor: Actor) -> Booking:
    """Move the booking to ``to`` (audited), or leave it be if it is there already."""
    return booking if booking.status == to else move(session, booking, to, actor=actor)


def mark_testing(*, session: Session, booking_id: int, actor: Actor) -> Booking:
    """Testing has started on the booking (a run began). A review that sent it back may restart it.

    Raises:
        NotFound: no such booking.
        RuleViolation: ``sample_receipt``, the samples have not been received.
    """
    booking = _booking(session, booking_id)
    ensure_ready_for_testing(session=session, booking=booking)
    return _step(session, booking, BookingStatus.TESTING, actor)

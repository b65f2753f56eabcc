"""The booking lifecycle: which step may follow which, and the audited step itself.

``requested → quoted → confirmed → sample_received → testing → in_review → reported → closed``; a booking may be
``cancelled`` or ``rejected`` until testing starts, and a review may send it back to testing. Revoking its
certificate returns a reported (or closed) booking to review (:func:`reopen_for_review`): not a step anyone takes
directly, so the steps below do not list it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from labsys.audit import Actor, record
from labsys.bookings.models import Booking, BookingStatus, booking_snapshot
from labsys.db.types import utcnow
from labsys.errors import Conflict

__all__ = ["NEXT_STATUSES", "REOPENED_BY_REVOCATION", "ensure_can_move", "move", "reopen_for_review"]

S = BookingStatus

#: The statuses each status may move to.
NEXT_STATUSES: dict[BookingStatus, tuple[BookingStatus, ...]] = {
    S.REQUESTED: (S.QUOTED, S.CANCELLED, S.REJECTED),
    S.QUOTED: (S.CONFIRMED, S.CANCELLED, S.REJECTED),
    S.CONFIRMED: (S.SAMPLE_RECEIVED, S.CANCELLED, S.REJECTED),
    S.SAMPLE_RECEIVED: (S.TESTING, S.CANCELLED, S.REJECTED),
    S.TESTING: (S.IN_REVIEW,),
    S.IN_REVIEW: (S.REPORTED, S.TESTING),
    S.REPORTED: (S.CLOSED,),
    S.CLOSED: (),
    S.CANCELLED: (),
    S.REJECTED: (),
}

#: The statuses that revoking the booking's certificate returns to review: those of a booking whose report stood.
REOPENED_BY_REVOCATION = frozenset({S.REPORTED, S.CLOSED})


def ensure_can_move(booking: Booking, to: BookingStatus) -> None:
    """Check that the booking may move to ``to``.

    Raises:
        Conflict: it may not; the detail names the current status and the steps allowed from it
            (``extra['status']``, ``extra['allowed']``).
    """
    current = BookingStatus(booking.status)
    allowed = NEXT_STATUSES[current]
    if to in allowed:
        return
    options = ", ".join(s.value for s in allowed) if allowed else "nothing (it is final)"
    raise Conflict(
        f"booking {booking.id} is {current.value}: it cannot become {to.value}; from {current.value} it can become "
        f"{options}",
        status=current.value,
        allowed=[s.value for s in allowed],
    )


def move(session: Session, booking: Booking, to: BookingStatus, *, actor: Actor, **facts: Any) -> Booking:
    """Move the booking to ``to`` and record the step in the audit trail (with ``facts``, e.g. a reason).

    Raises:
        Conflict: the lifecycle does not allow the step.
    """
    ensure_can_move(booking, to)
    return _step(session, booking, to, actor, facts)


def reopen_for_review(session: Session, booking: Booking, *, actor: Actor, **facts: Any) -> Booking:
    """Return a booking whose certificate was revoked to review (``booking.in_review`` in the audit trail, with
    ``facts``: the certificate and why), where a reviewer may issue a corrected certificate or send the runs back to
    testing, and an engineer may start a new run.

    Raises:
        Conflict: the booking is neither reported nor closed.
    """
    if booking.status not in REOPENED_BY_REVOCATION:
        msg = f"booking {booking.id} is {booking.status.value}: only a reported or closed booking returns to review"
        raise Conflict(msg, status=booking.status.value)
    return _step(session, booking, S.IN_REVIEW, actor, facts)


def _step(session: Session, booking: Booking, to: BookingStatus, actor: Actor, facts: dict[str, Any]) -> Booking:
    before = booking_snapshot(booking)
    booking.status = to
    booking.updated_at = utcnow()
    session.add(booking)
    session.flush()
    record(
        session,
        actor=actor,
        action=f"booking.{to.value}",
        entity_type="booking",
        entity_id=booking.id,
        before=before,
        after={**booking_snapshot(booking), **facts},
    )
    return booking

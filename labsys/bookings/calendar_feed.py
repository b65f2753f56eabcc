"""The bookings as an iCalendar (RFC 5545) feed that calendar applications subscribe to."""

from __future__ import annotations

from datetime import datetime

import icalendar
from sqlalchemy import func
from sqlmodel import Session, col, select

from labsys.audit.models import AuditEvent
from labsys.bookings.models import Booking, BookingStatus
from labsys.bookings.views import public_bookings
from labsys.scheduling import SchedulingPolicy

__all__ = ["bookings_calendar"]

_EVENT_STATUS = {
    BookingStatus.REQUESTED: "TENTATIVE",
    BookingStatus.QUOTED: "TENTATIVE",
    BookingStatus.CANCELLED: "CANCELLED",
    BookingStatus.REJECTED: "CANCELLED",
}


def bookings_calendar(
    *, session: Session, company_id: int | None, policy: SchedulingPolicy, lab_name: str, host: str, now: datetime
) -> bytes:
    """The feed of the bookings the caller may see (a company's own, or all for staff) that have a slot.

    Cancelled and rejected bookings stay in the feed as cancelled events, so subscribed calendars drop them.
    Each event's UID is stable (``booking-<id>@<host>``), its times are UTC. Its SEQUENCE counts the times the
    booking's slot moved (rescheduled, or moved by a plan), so calendars take a new time as a revision of the
    event (RFC 5545 3.8.7.4); LAST-MODIFIED is when the booking last changed.
    """
    query = select(Booking).where(col(Booking.starts_at).is_not(None)).order_by(col(Booking.starts_at))
    if company_id is not None:
        query = query.where(Booking.company_id == company_id)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//labsys//bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{lab_name}: bookings")
    calendar.add("x-wr-timezone", policy.zone.key)
    bookings = session.exec(query).all()
    moves = _moves(session, [b.id or 0 for b in bookings])
    for booking in public_bookings(session=session, bookings=bookings, policy=policy):
        event = icalendar.Event()
        event.add("uid", f"booking-{booking.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("summary", f"{booking.method} booking #{booking.id} ({booking.status.value})")
        instruments = ", ".join(r.instrument for r in booking.reservations if r.active)
        samples = ", ".join(f"{s.label} x{s.quantity}" for s in booking.samples)
        event.add("description", f"Applicant: {booking.applicant.name}\nSamples: {samples}\nFee: {booking.fee_krw} KRW")
        event.add("location", f"{lab_name}: {instruments}" if instruments else lab_name)
        event.add("status", _EVENT_STATUS.get(booking.status, "CONFIRMED"))
        event.add("last-modified", booking.updated_at)
        event.add("sequence", moves.get(str(booking.id), 0))
        calendar.add_component(event)
    payload: bytes = calendar.to_ical()
    return payload


#: The audit actions that move a booking's slot.
_MOVES = ("booking.rescheduled", "booking.planned")


def _moves(session: Session, booking_ids: list[int]) -> dict[str, int]:
    """How many times each booking's slot moved, by booking id as the audit trail writes it."""
    if not booking_ids:
        return {}
    query = (
        select(AuditEvent.entity_id, func.count())
        .where(
            AuditEvent.entity_type == "booking",
            col(AuditEvent.action).in_(_MOVES),
            col(AuditEvent.entity_id).in_([str(i) for i in booking_ids]),
        )
        .group_by(col(AuditEvent.entity_id))
    )
    return dict(session.exec(query).all())

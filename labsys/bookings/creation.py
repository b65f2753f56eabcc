"""A new booking in the caller's write transaction: the request, its quote, its samples and the instrument time it
holds, at once; and the weekly quota every new booking and reschedule counts against.

The booking is stored quoted; the audit trail records both steps (``booking.requested``, then ``booking.quoted``).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.bookings.models import (
    Booking,
    BookingBase,
    BookingCreate,
    BookingStatus,
    Quote,
    Sample,
    booking_snapshot,
    sample_snapshot,
)
from labsys.bookings.parties import stored_party
from labsys.bookings.pricing import quote_for
from labsys.bookings.queries import INACTIVE_STATUSES
from labsys.companies.service import get_company
from labsys.methods.service import method_by_code
from labsys.scheduling import Quota, SchedulingPolicy, hold, slot_for

__all__ = ["company_quota", "create_booking"]


def company_quota(
    session: Session, *, company_id: int, policy: SchedulingPolicy, now: datetime, ignore_booking_id: int | None = None
) -> Quota:
    """The company's weekly quota and its bookings in each lab week from this week to the booking horizon."""
    since, _ = policy.week_bounds(policy.week_of(now))
    _, until = policy.week_bounds(policy.week_of(policy.latest_start(now)))
    query = select(Booking.starts_at).where(
        Booking.company_id == company_id,
        col(Booking.starts_at) >= since,
        col(Booking.starts_at) < until,
        col(Booking.status).not_in(INACTIVE_STATUSES),
    )
    if ignore_booking_id is not None:
        query = query.where(Booking.id != ignore_booking_id)
    used = Counter(policy.week_of(start) for start in session.exec(query) if start is not None)
    return Quota(policy.weekly_quota, used)


def create_booking(
    *,
    session: Session,
    booking_in: BookingCreate,
    company_id: int,
    requested_by_id: int,
    actor: Actor,
    policy: SchedulingPolicy,
    now: datetime,
) -> Booking:
    """Book a method for a company's samples at a start (or the earliest free slot), and quote it at once.

    The booking holds one reservation per instrument kind the method needs; the quote is the method's fee ×
    the samples' total quantity × the urgency factor. Both steps (requested, quoted) are in the audit trail.

    Raises:
        NotFound: no active method with that code, or no such company.
        RuleViolation: a scheduling rule refuses the start (``rule``, ``next_slot``), or the slot was just taken.
    """
    method = method_by_code(session, booking_in.method, active_only=True)
    company = get_company(session, company_id)
    quota = company_quota(session, company_id=company_id, policy=policy, now=now)
    slot = slot_for(session=session, method=method, start=booking_in.start, policy=policy, now=now, quota=quota)
    booking = Booking.model_validate(
        booking_in.model_dump(include=set(BookingBase.model_fields)),  # what the request says of the booking itself
        update={
            "company_id": company_id,
            "method_id": method.id,
            "method_version": method.version,
            "requested_by_id": requested_by_id,
            "quantity": sum(s.quantity for s in booking_in.samples),
            "fee_krw": 0,
            **{role: stored_party(getattr(booking_in, role), company) for role in _PARTIES},
            "starts_at": slot.start,
            "ends_at": slot.end,
            "created_at": now,
            "updated_at": now,
        },
    )
    session.add(booking)
    session.flush()
    assert booking.id is not None  # noqa: S101 - just flushed
    samples = [Sample.model_validate(s.model_dump(), update={"booking_id": booking.id}) for s in booking_in.samples]
    session.add_all(samples)
    hold(session, booking.id, slot)
    requested = {**booking_snapshot(booking), "samples": [sample_snapshot(s) for s in samples]}
    record(
        session, actor=actor, action="booking.requested", entity_type="booking", entity_id=booking.id, after=requested
    )
    _quote(
        session,
        booking,
        quote_for(unit_fee_krw=method.fee_krw, quantity=booking.quantity, urgency=booking.urgency),
        actor,
    )
    return booking


_PARTIES = ("applicant", "payer", "report_recipient")


def _quote(session: Session, booking: Booking, quote: Quote, actor: Actor) -> None:
    before = booking_snapshot(booking)
    booking.fee_krw = quote.fee_krw
    booking.status = BookingStatus.QUOTED
    session.add(booking)
    session.flush()
    after = {**booking_snapshot(booking), "quote": quote.model_dump()}
    record(
        session,
        actor=actor,
        action="booking.quoted",
        entity_type="booking",
        entity_id=booking.id,
        before=before,
        after=after,
    )

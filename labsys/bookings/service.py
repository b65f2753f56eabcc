"""Booking, confirming, rescheduling, cancelling, rejecting and receiving samples.

Every function takes ``company_id``: the caller's company for a customer, who may touch only its own bookings
(another company's answers :class:`~labsys.errors.NotFound`), or None for the lab's staff. Roles are checked by
the caller (the API's guards); the lifecycle and the scheduling rules are checked here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.bookings.lifecycle import booking_snapshot, ensure_can_move, move
from labsys.bookings.models import Booking, BookingStatus, Sample
from labsys.bookings.pricing import quote_for
from labsys.bookings.queries import get_booking
from labsys.bookings.reservations import hold, queue_behind_other_writers, release
from labsys.bookings.schemas import BookingCreate, Party, SampleReceipt
from labsys.catalog.models import TestMethod
from labsys.companies.models import Company
from labsys.db.types import utcnow
from labsys.errors import Conflict, InvalidInput, NotFound
from labsys.scheduling import SchedulingPolicy, Slot, check_start, earliest_slot

__all__ = [
    "cancel_booking",
    "confirm_booking",
    "create_booking",
    "get_booking",
    "receive_samples",
    "reject_booking",
    "reschedule_booking",
]

Start = datetime | Literal["earliest"]


def _slot_for(
    session: Session,
    *,
    method: TestMethod,
    start: Start,
    policy: SchedulingPolicy,
    now: datetime,
    company_id: int,
    booking_id: int | None = None,
) -> Slot:
    if start != "earliest":
        return check_start(
            session=session,
            method=method,
            policy=policy,
            now=now,
            start=start,
            company_id=company_id,
            ignore_booking_id=booking_id,
        )
    return earliest_slot(
        session=session, method=method, policy=policy, now=now, company_id=company_id, ignore_booking_id=booking_id
    )


def _company_party(company: Company) -> Party:
    return Party(
        name=company.name,
        address=company.address,
        business_registration_number=company.business_registration_number,
        contact=f"{company.contact_name} <{company.contact_email}>",
    )


def _new_booking(
    booking_in: BookingCreate, *, company: Company, method: TestMethod, slot: Slot, by: int, now: datetime
) -> Booking:
    """The booking row, as requested: a party left out is the company itself."""
    assert company.id is not None  # noqa: S101 - a stored company
    assert method.id is not None  # noqa: S101 - a stored method
    party = _company_party(company)
    return Booking(
        company_id=company.id,
        method_id=method.id,
        method_version=method.version,
        requested_by_id=by,
        urgency=booking_in.urgency,
        quantity=sum(s.quantity for s in booking_in.samples),
        fee_krw=0,
        applicant=(booking_in.applicant or party).model_dump(),
        payer=(booking_in.payer or party).model_dump(),
        report_recipient=(booking_in.report_recipient or party).model_dump(),
        starts_at=slot.start,
        ends_at=slot.end,
        note=booking_in.note,
        created_at=now,
        updated_at=now,
    )


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

    The booking is recorded as requested, then quoted (fee × samples' total quantity × urgency), each step in
    the audit trail, holding one reservation per instrument kind the method needs.

    Raises:
        NotFound: no active method with that code.
        RuleViolation: a scheduling rule refuses the start (``rule``, ``next_slot``), or the slot was just taken.
    """
    method = session.exec(
        select(TestMethod).where(TestMethod.code == booking_in.method, col(TestMethod.active))
    ).first()
    if method is None or method.id is None:
        raise NotFound(f"no test method with code {booking_in.method!r}")
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(f"company {company_id} not found")
    queue_behind_other_writers(session)
    slot = _slot_for(session, method=method, start=booking_in.start, policy=policy, now=now, company_id=company_id)
    booking = _new_booking(booking_in, company=company, method=method, slot=slot, by=requested_by_id, now=now)
    session.add(booking)
    session.flush()
    samples = [Sample(booking_id=booking.id, **s.model_dump()) for s in booking_in.samples]  # type: ignore[arg-type]
    session.add_all(samples)
    hold(session, booking, slot)
    record(
        session,
        actor=actor,
        action="booking.requested",
        entity_type="booking",
        entity_id=booking.id,
        after={**booking_snapshot(booking), "samples": [s.model_dump() for s in booking_in.samples]},
    )
    quote = quote_for(unit_fee_krw=method.fee_krw, quantity=booking.quantity, urgency=booking_in.urgency)
    booking.fee_krw = quote.fee_krw
    return move(session, booking, BookingStatus.QUOTED, actor=actor, quote=quote.model_dump())


def confirm_booking(*, session: Session, booking_id: int, company_id: int | None, actor: Actor) -> Booking:
    """The customer accepts the quote.

    Raises:
        NotFound: not the caller's booking.
        Conflict: the booking is not quoted.
    """
    booking = get_booking(session=session, booking_id=booking_id, company_id=company_id)
    return move(session, booking, BookingStatus.CONFIRMED, actor=actor)


def cancel_booking(*, session: Session, booking_id: int, company_id: int | None, actor: Actor) -> Booking:
    """Cancel a booking before testing starts; its instrument time is free at once.

    Raises:
        NotFound: not the caller's booking.
        Conflict: testing has started, or the booking has ended.
    """
    queue_behind_other_writers(session)
    booking = get_booking(session=session, booking_id=booking_id, company_id=company_id)
    ensure_can_move(booking, BookingStatus.CANCELLED)
    release(session, booking)
    return move(session, booking, BookingStatus.CANCELLED, actor=actor)


def reject_booking(*, session: Session, booking_id: int, reason: str, actor: Actor) -> Booking:
    """The lab refuses a booking (staff), with the reason; its instrument time is free at once.

    Raises:
        NotFound: no such booking.
        Conflict: testing has started, or the booking has ended.
    """
    queue_behind_other_writers(session)
    booking = get_booking(session=session, booking_id=booking_id, company_id=None)
    ensure_can_move(booking, BookingStatus.REJECTED)
    release(session, booking)
    return move(session, booking, BookingStatus.REJECTED, actor=actor, reason=reason)


#: A booking can move in time until testing starts.
RESCHEDULABLE = (BookingStatus.REQUESTED, BookingStatus.QUOTED, BookingStatus.CONFIRMED, BookingStatus.SAMPLE_RECEIVED)


def _ensure_reschedulable(booking: Booking) -> None:
    if booking.status not in RESCHEDULABLE:
        allowed = ", ".join(s.value for s in RESCHEDULABLE)
        raise Conflict(
            f"booking {booking.id} is {booking.status.value}: only a booking that is {allowed} can be rescheduled",
            status=booking.status.value,
            allowed=[s.value for s in RESCHEDULABLE],
        )


def reschedule_booking(
    *,
    session: Session,
    booking_id: int,
    start: Start,
    company_id: int | None,
    actor: Actor,
    policy: SchedulingPolicy,
    now: datetime,
) -> Booking:
    """Move a booking's reservations to a new start, atomically, under every rule a new booking obeys.

    The booking's own time does not count against it (a move by half an hour is fine). Either every
    reservation moves or none does.

    Raises:
        NotFound: not the caller's booking.
        Conflict: testing has started, or the booking has ended.
        RuleViolation: a scheduling rule refuses the new start (``rule``, ``next_slot``).
    """
    queue_behind_other_writers(session)
    booking = get_booking(session=session, booking_id=booking_id, company_id=company_id)
    _ensure_reschedulable(booking)
    method = session.get(TestMethod, booking.method_id)
    assert method is not None  # noqa: S101 - a foreign key
    slot = _slot_for(
        session,
        method=method,
        start=start,
        policy=policy,
        now=now,
        company_id=booking.company_id,
        booking_id=booking_id,
    )
    before = booking_snapshot(booking)
    release(session, booking)
    hold(session, booking, slot)
    booking.starts_at, booking.ends_at, booking.updated_at = slot.start, slot.end, now
    session.add(booking)
    session.flush()
    record(
        session,
        actor=actor,
        action="booking.rescheduled",
        entity_type="booking",
        entity_id=booking.id,
        before=before,
        after=booking_snapshot(booking),
    )
    return booking


def receive_samples(
    *, session: Session, booking_id: int, receipt: SampleReceipt, received_by_id: int, actor: Actor
) -> Booking:
    """Record each sample's condition on arrival (an engineer); the booking becomes ``sample_received``.

    Raises:
        NotFound: no such booking.
        Conflict: the booking is not confirmed.
        InvalidInput: the receipt does not name every sample of the booking exactly once.
    """
    booking = get_booking(session=session, booking_id=booking_id, company_id=None)
    ensure_can_move(booking, BookingStatus.SAMPLE_RECEIVED)
    samples = {s.id: s for s in session.exec(select(Sample).where(Sample.booking_id == booking_id)).all()}
    named = {c.sample_id for c in receipt.samples}
    if named != set(samples):
        missing = sorted(i for i in set(samples) - named if i is not None)
        unknown = sorted(named - set(samples))
        raise InvalidInput(
            "samples",
            f"the receipt must name every sample of booking {booking_id}: missing {missing}, not of it {unknown}",
        )
    received_at = utcnow()
    for condition in receipt.samples:
        sample = samples[condition.sample_id]
        sample.condition_on_receipt = condition.condition
        sample.received_at = received_at
        sample.received_by_id = received_by_id
        session.add(sample)
    conditions = {str(c.sample_id): c.condition for c in receipt.samples}
    return move(session, booking, BookingStatus.SAMPLE_RECEIVED, actor=actor, conditions=conditions)

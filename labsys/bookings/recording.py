"""Recording a new booking: the request, its quote, its samples and the instrument time it holds, at once.

Every booking a customer makes runs through here, so it reads and writes with statements built once and runs
them on the session's connection without the ORM's unit of work: a handful of statements per booking. The
booking is stored already quoted; the audit trail records both steps (``booking.requested``, then
``booking.quoted``), exactly as a step-by-step write would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, true
from sqlmodel import Session

from labsys.audit import Actor, Change, record_all, snapshot
from labsys.bookings.models import Booking, BookingStatus, Sample
from labsys.bookings.pricing import quote_for, report_due
from labsys.bookings.reservations import hold_all, queue_behind_other_writers
from labsys.bookings.schemas import BookingCreate, BookingPublic, Party, Quote, ReservationPublic, SamplePublic
from labsys.companies.models import Company
from labsys.db.memo import once_per_transaction
from labsys.db.types import table_of
from labsys.errors import NotFound
from labsys.methods.models import TestMethod
from labsys.scheduling import SchedulingPolicy, Slot, slot_for

__all__ = ["NewBooking", "OfferedMethod", "create_booking", "method_and_company", "write_bookings"]


@dataclass(frozen=True)
class OfferedMethod:
    """What booking needs of an active catalog method: its timing, instruments, fee and turnaround."""

    id: int
    code: str
    version: int
    instrument_kinds: list[str]
    duration_min: int
    turnaround_days: int
    fee_krw: int


_METHODS = table_of(TestMethod)
_COMPANIES = table_of(Company)
_BOOKINGS = table_of(Booking)
_SAMPLES = table_of(Sample)

_OFFERED_METHOD = select(
    _METHODS.c.id,
    _METHODS.c.code,
    _METHODS.c.version,
    _METHODS.c.instrument_kinds,
    _METHODS.c.duration_min,
    _METHODS.c.turnaround_days,
    _METHODS.c.fee_krw,
).where(_METHODS.c.code == bindparam("code"), _METHODS.c.active == true())
_COMPANY_PARTY = select(
    _COMPANIES.c.name,
    _COMPANIES.c.address,
    _COMPANIES.c.business_registration_number,
    _COMPANIES.c.contact_name,
    _COMPANIES.c.contact_email,
).where(_COMPANIES.c.id == bindparam("company_id"))
_NEW_BOOKING = insert(_BOOKINGS).returning(_BOOKINGS.c.id, sort_by_parameter_order=True)
_NEW_SAMPLES = insert(_SAMPLES).returning(_SAMPLES.c.id, sort_by_parameter_order=True)


def offered_method(connection: Connection, code: str) -> OfferedMethod:
    """The active catalog method with ``code``.

    Raises:
        NotFound: there is none.
    """
    row = connection.execute(_OFFERED_METHOD, {"code": code}).first()
    if row is None:
        raise NotFound(f"no test method with code {code!r}")
    return OfferedMethod(*row)


def company_party(connection: Connection, company_id: int) -> Party:
    """The company as a party of its own test request (applicant, payer or report recipient).

    Raises:
        NotFound: there is no such company.
    """
    row = connection.execute(_COMPANY_PARTY, {"company_id": company_id}).first()
    if row is None:
        raise NotFound(f"company {company_id} not found")
    name, address, registration, contact_name, contact_email = row
    return Party(
        name=name,
        address=address,
        business_registration_number=registration,
        contact=f"{contact_name} <{contact_email}>",
    )


def method_and_company(session: Session, code: str, company_id: int) -> tuple[OfferedMethod, Party]:
    """The active method with ``code`` and the company as a party, each read once per transaction.

    Raises:
        NotFound: there is no such active method, or no such company.
    """
    connection = session.connection()
    method = once_per_transaction(session, ("offered_method", code), lambda: offered_method(connection, code))
    party = once_per_transaction(session, ("company_party", company_id), lambda: company_party(connection, company_id))
    return method, party


@dataclass(frozen=True)
class NewBooking:
    """A new booking every rule allows, ready to be written: who asks for what, and the slot it gets."""

    booking_in: BookingCreate
    company_id: int
    requested_by_id: int
    actor: Actor
    now: datetime
    method: OfferedMethod
    company: Party
    slot: Slot


def create_booking(
    *,
    session: Session,
    booking_in: BookingCreate,
    company_id: int,
    requested_by_id: int,
    actor: Actor,
    policy: SchedulingPolicy,
    now: datetime,
) -> BookingPublic:
    """Book a method for a company's samples at a start (or the earliest free slot), and quote it at once.

    The booking holds one reservation per instrument kind the method needs; the quote is the method's fee ×
    the samples' total quantity × the urgency factor. Both steps (requested, quoted) are in the audit trail.

    Returns:
        The booking as recorded, with its quote, samples and reservations.

    Raises:
        NotFound: no active method with that code, or no such company.
        RuleViolation: a scheduling rule refuses the start (``rule``, ``next_slot``), or the slot was just taken.
    """
    queue_behind_other_writers(session)  # first: what is read below is then the latest, and stays so
    method, company = method_and_company(session, booking_in.method, company_id)
    slot = slot_for(
        session=session, method=method, start=booking_in.start, policy=policy, now=now, company_id=company_id
    )
    booking = NewBooking(booking_in, company_id, requested_by_id, actor, now, method, company, slot)
    return write_bookings(session, [booking], policy)[0]


@dataclass(frozen=True)
class _Draft:
    """A new booking's row, quote, parties and samples, as written."""

    booking: NewBooking
    row: dict[str, Any]
    quote: Quote
    parties: dict[str, Party]
    samples: list[dict[str, Any]]


def _draft(booking: NewBooking) -> _Draft:
    booking_in, slot = booking.booking_in, booking.slot
    quantity = sum(s.quantity for s in booking_in.samples)
    quote = quote_for(unit_fee_krw=booking.method.fee_krw, quantity=quantity, urgency=booking_in.urgency)
    parties = {
        "applicant": booking_in.applicant or booking.company,
        "payer": booking_in.payer or booking.company,
        "report_recipient": booking_in.report_recipient or booking.company,
    }
    row: dict[str, Any] = {
        "company_id": booking.company_id,
        "method_id": booking.method.id,
        "method_version": booking.method.version,
        "requested_by_id": booking.requested_by_id,
        "status": BookingStatus.QUOTED,
        "urgency": booking_in.urgency,
        "quantity": quantity,
        "fee_krw": quote.fee_krw,
        **{role: p.model_dump() for role, p in parties.items()},
        "starts_at": slot.start,
        "ends_at": slot.end,
        "note": booking_in.note,
        "created_at": booking.now,
        "updated_at": booking.now,
    }
    return _Draft(booking, row, quote, parties, [s.model_dump() for s in booking_in.samples])


def write_bookings(session: Session, bookings: Sequence[NewBooking], policy: SchedulingPolicy) -> list[BookingPublic]:
    """Write judged bookings with one statement per table, and their steps to the audit trail, in order.

    Raises:
        RuleViolation: ``slot_taken``, when the database refuses an overlap (see
            :func:`~labsys.bookings.reservations.hold_all`).
    """
    connection = session.connection()
    drafts = [_draft(booking) for booking in bookings]
    booking_ids = connection.execute(_NEW_BOOKING, [d.row for d in drafts]).scalars().all()
    sample_rows = [{"booking_id": i, **s} for i, d in zip(booking_ids, drafts, strict=True) for s in d.samples]
    sample_ids = iter(connection.execute(_NEW_SAMPLES, sample_rows).scalars().all())
    held = hold_all(session, [(i, d.booking.slot) for i, d in zip(booking_ids, drafts, strict=True)])
    changes = [
        change
        for booking_id, draft in zip(booking_ids, drafts, strict=True)
        for change in _request_and_quote(booking_id, draft)
    ]
    record_all(session, changes)
    return [
        _public(booking_id, draft, [next(sample_ids) for _ in draft.samples], reservations, policy)
        for booking_id, draft, reservations in zip(booking_ids, drafts, held, strict=True)
    ]


def _public(
    booking_id: int,
    draft: _Draft,
    sample_ids: list[int],
    reservations: list[ReservationPublic],
    policy: SchedulingPolicy,
) -> BookingPublic:
    booking, booking_in, slot = draft.booking, draft.booking.booking_in, draft.booking.slot
    return BookingPublic(
        id=booking_id,
        company_id=booking.company_id,
        method=booking.method.code,
        method_version=booking.method.version,
        status=BookingStatus.QUOTED,
        urgency=booking_in.urgency,
        quote=draft.quote,
        fee_krw=draft.quote.fee_krw,
        starts_at=slot.start,
        ends_at=slot.end,
        report_due=report_due(
            policy=policy,
            work_ends=slot.end,
            turnaround_days=booking.method.turnaround_days,
            urgency=booking_in.urgency,
        ),
        **draft.parties,
        samples=[
            SamplePublic(id=sample_id, condition_on_receipt="", received_at=None, **sample)
            for sample_id, sample in zip(sample_ids, draft.samples, strict=True)
        ],
        reservations=reservations,
        note=booking_in.note,
        created_at=booking.now,
        updated_at=booking.now,
    )


def _request_and_quote(booking_id: int, draft: _Draft) -> list[Change]:
    """The two steps of a new booking in the audit trail, as the lifecycle would record them one by one."""
    actor = draft.booking.actor
    quoted = snapshot(
        {"id": booking_id, **{k: v for k, v in draft.row.items() if k not in {"created_at", "updated_at"}}}
    )
    requested = quoted.with_values(status=BookingStatus.REQUESTED)
    return [
        Change(
            actor,
            "booking.requested",
            "booking",
            booking_id,
            after=requested.with_values(fee_krw=0, samples=draft.samples),
        ),
        Change(
            actor,
            "booking.quoted",
            "booking",
            booking_id,
            after=quoted.with_values(quote=draft.quote.model_dump()),
            before=requested,
        ),
    ]

"""Recording a new booking: the request, its quote, its samples and the instrument time it holds, at once.

Every booking a customer makes runs through here, so it reads and writes with statements built once and runs
them on the session's connection without the ORM's unit of work: a handful of statements per booking. The
booking is stored already quoted; the audit trail records both steps (``booking.requested``, then
``booking.quoted``), exactly as a step-by-step write would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, true
from sqlmodel import Session

from labsys.audit import Actor, Change, record_all
from labsys.bookings.models import Booking, BookingStatus, Sample
from labsys.bookings.pricing import quote_for, report_due
from labsys.bookings.reservations import hold, queue_behind_other_writers
from labsys.bookings.schemas import BookingCreate, BookingPublic, Party, SamplePublic
from labsys.catalog.models import TestMethod
from labsys.companies.models import Company
from labsys.db.memo import once_per_transaction
from labsys.db.types import table_of
from labsys.errors import NotFound
from labsys.scheduling import SchedulingPolicy, slot_for

__all__ = ["OfferedMethod", "create_booking"]


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
_NEW_BOOKING = insert(_BOOKINGS).returning(_BOOKINGS.c.id)
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
    connection = session.connection()
    code = booking_in.method
    method = once_per_transaction(session, ("offered_method", code), lambda: offered_method(connection, code))
    party = once_per_transaction(session, ("company_party", company_id), lambda: company_party(connection, company_id))
    slot = slot_for(
        session=session, method=method, start=booking_in.start, policy=policy, now=now, company_id=company_id
    )
    quantity = sum(s.quantity for s in booking_in.samples)
    quote = quote_for(unit_fee_krw=method.fee_krw, quantity=quantity, urgency=booking_in.urgency)
    parties = {
        "applicant": booking_in.applicant or party,
        "payer": booking_in.payer or party,
        "report_recipient": booking_in.report_recipient or party,
    }
    row: dict[str, Any] = {
        "company_id": company_id,
        "method_id": method.id,
        "method_version": method.version,
        "requested_by_id": requested_by_id,
        "status": BookingStatus.QUOTED,
        "urgency": booking_in.urgency,
        "quantity": quantity,
        "fee_krw": quote.fee_krw,
        **{role: p.model_dump() for role, p in parties.items()},
        "starts_at": slot.start,
        "ends_at": slot.end,
        "note": booking_in.note,
        "created_at": now,
        "updated_at": now,
    }
    booking_id = connection.execute(_NEW_BOOKING, row).scalar_one()
    samples_in = [s.model_dump() for s in booking_in.samples]
    sample_ids = connection.execute(_NEW_SAMPLES, [{"booking_id": booking_id, **s} for s in samples_in]).scalars().all()
    reservations = hold(session, booking_id, slot)
    _audit_request_and_quote(session, actor, {"id": booking_id, **row}, samples_in, quote.model_dump())
    return BookingPublic(
        id=booking_id,
        company_id=company_id,
        method=method.code,
        method_version=method.version,
        status=BookingStatus.QUOTED,
        urgency=booking_in.urgency,
        quote=quote,
        fee_krw=quote.fee_krw,
        starts_at=slot.start,
        ends_at=slot.end,
        report_due=report_due(
            policy=policy, work_ends=slot.end, turnaround_days=method.turnaround_days, urgency=booking_in.urgency
        ),
        **parties,
        samples=[
            SamplePublic(id=sample_id, condition_on_receipt="", received_at=None, **sample)
            for sample_id, sample in zip(sample_ids, samples_in, strict=True)
        ],
        reservations=reservations,
        note=booking_in.note,
        created_at=now,
        updated_at=now,
    )


def _audit_request_and_quote(
    session: Session, actor: Actor, booking: dict[str, Any], samples: list[dict[str, Any]], quote: dict[str, Any]
) -> None:
    """The two steps of a new booking in the audit trail, as the lifecycle would record them one by one."""
    quoted = {k: v for k, v in booking.items() if k not in {"created_at", "updated_at"}}
    requested = {**quoted, "status": BookingStatus.REQUESTED}
    record_all(
        session,
        [
            Change(
                actor,
                "booking.requested",
                "booking",
                booking["id"],
                after={**requested, "fee_krw": 0, "samples": samples},
            ),
            Change(
                actor, "booking.quoted", "booking", booking["id"], before=requested, after={**quoted, "quote": quote}
            ),
        ],
    )

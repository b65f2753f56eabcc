"""Bookings as the API and the calendar show them, read in a few queries however many there are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from labsys.bookings.models import Booking, BookingPublic, Sample, SamplePublic
from labsys.bookings.parties import resolved_party
from labsys.bookings.pricing import quote_for, report_due
from labsys.companies.models import Company
from labsys.equipment.models import Instrument
from labsys.methods.models import TestMethod
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import Reservation, ReservationPublic

__all__ = ["public_booking", "public_bookings"]


def public_bookings(*, session: Session, bookings: Sequence[Booking], policy: SchedulingPolicy) -> list[BookingPublic]:
    """The public view of each booking: quote, parties (the company's as its record reads now), samples,
    reservations (with asset tags) and report due date."""
    ids = [b.id for b in bookings if b.id is not None]
    if not ids:
        return []
    methods = {
        m.id: m for m in session.exec(select(TestMethod).where(col(TestMethod.id).in_({b.method_id for b in bookings})))
    }
    companies = {
        c.id: c for c in session.exec(select(Company).where(col(Company.id).in_({b.company_id for b in bookings})))
    }
    samples = _samples_by_booking(session, ids)
    reservations = _reservations_by_booking(session, ids)
    result = []
    for booking in bookings:
        method = methods[booking.method_id]
        due = None
        if booking.ends_at is not None:
            due = report_due(
                policy=policy,
                work_ends=booking.ends_at,
                turnaround_days=method.turnaround_days,
                urgency=booking.urgency,
            )
        # The fee is fixed when the booking is quoted, whatever the catalog charges later.
        quote = quote_for(unit_fee_krw=method.fee_krw, quantity=booking.quantity, urgency=booking.urgency)
        company = companies[booking.company_id]
        computed = {
            "method": method.code,
            **{role: resolved_party(getattr(booking, role), company) for role in _PARTIES},
            "quote": quote.model_copy(update={"fee_krw": booking.fee_krw}),
            "report_due": due,
            "samples": samples[booking.id or 0],
            "reservations": reservations[booking.id or 0],
        }
        result.append(BookingPublic.model_validate(booking, update=computed))
    return result


_PARTIES = ("applicant", "payer", "report_recipient")


def _samples_by_booking(session: Session, ids: list[int]) -> dict[int, list[SamplePublic]]:
    samples: dict[int, list[SamplePublic]] = defaultdict(list)
    for sample in session.exec(select(Sample).where(col(Sample.booking_id).in_(ids)).order_by(col(Sample.id))):
        samples[sample.booking_id].append(SamplePublic.model_validate(sample))
    return samples


def _reservations_by_booking(session: Session, ids: list[int]) -> dict[int, list[ReservationPublic]]:
    reservations: dict[int, list[ReservationPublic]] = defaultdict(list)
    rows = session.exec(
        select(Reservation, Instrument)
        .join(Instrument, col(Instrument.id) == Reservation.instrument_id)
        .where(col(Reservation.booking_id).in_(ids))
        .order_by(col(Reservation.id))
    )
    for reservation, instrument in rows:
        public = ReservationPublic.model_validate(
            reservation, update={"instrument": instrument.asset_tag, "kind": instrument.kind}
        )
        reservations[reservation.booking_id].append(public)
    return reservations


def public_booking(*, session: Session, booking: Booking, policy: SchedulingPolicy) -> BookingPublic:
    """The public view of one booking."""
    return public_bookings(session=session, bookings=[booking], policy=policy)[0]

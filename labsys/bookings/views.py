"""Bookings as the API and the calendar show them, read in a few queries however many there are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from labsys.bookings.models import Booking, Reservation, Sample
from labsys.bookings.pricing import quote_for, report_due
from labsys.bookings.schemas import BookingPublic, Party, ReservationPublic, SamplePublic
from labsys.equipment.models import Instrument
from labsys.methods.models import TestMethod
from labsys.scheduling import SchedulingPolicy

__all__ = ["public_booking", "public_bookings"]


def public_bookings(*, session: Session, bookings: Sequence[Booking], policy: SchedulingPolicy) -> list[BookingPublic]:
    """The public view of each booking: quote, samples, reservations (with asset tags) and report due date."""
    ids = [b.id for b in bookings if b.id is not None]
    if not ids:
        return []
    # Usually already in the session (the booking was just made or listed with its method): no query then.
    methods = {method_id: session.get(TestMethod, method_id) for method_id in {b.method_id for b in bookings}}
    samples = _samples_by_booking(session, ids)
    reservations = _reservations_by_booking(session, ids)
    result = []
    for booking in bookings:
        assert booking.id is not None  # noqa: S101 - stored bookings have ids
        method = methods[booking.method_id]
        assert method is not None  # noqa: S101 - a foreign key
        due = None
        if booking.ends_at is not None:
            due = report_due(
                policy=policy,
                work_ends=booking.ends_at,
                turnaround_days=method.turnaround_days,
                urgency=booking.urgency,
            )
        result.append(
            BookingPublic(
                **booking.model_dump(include={"id", "company_id", "method_version", "status", "urgency", "fee_krw"}),
                **booking.model_dump(include={"starts_at", "ends_at", "note", "created_at", "updated_at"}),
                method=method.code,
                # The fee is fixed when the booking is quoted, whatever the catalog charges later.
                quote=quote_for(
                    unit_fee_krw=method.fee_krw, quantity=booking.quantity, urgency=booking.urgency
                ).model_copy(update={"fee_krw": booking.fee_krw}),
                report_due=due,
                applicant=Party.model_validate(booking.applicant),
                payer=Party.model_validate(booking.payer),
                report_recipient=Party.model_validate(booking.report_recipient),
                samples=samples[booking.id],
                reservations=reservations[booking.id],
            )
        )
    return result


def _samples_by_booking(session: Session, ids: list[int]) -> dict[int, list[SamplePublic]]:
    samples: dict[int, list[SamplePublic]] = defaultdict(list)
    for sample in session.exec(select(Sample).where(col(Sample.booking_id).in_(ids)).order_by(col(Sample.id))):
        samples[sample.booking_id].append(SamplePublic.model_validate(sample, from_attributes=True))
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
        reservations[reservation.booking_id].append(
            ReservationPublic(
                instrument=instrument.asset_tag,
                kind=instrument.kind,
                starts_at=reservation.starts_at,
                ends_at=reservation.ends_at,
                blocked_until=reservation.blocked_until,
                active=reservation.active,
            )
        )
    return reservations


def public_booking(*, session: Session, booking: Booking, policy: SchedulingPolicy) -> BookingPublic:
    """The public view of one booking."""
    return public_bookings(session=session, bookings=[booking], policy=policy)[0]

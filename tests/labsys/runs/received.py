"""A booking whose samples have arrived, written straight to the database: where tests of runs start."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from labsys.bookings.models import Booking, BookingStatus, Sample
from labsys.bookings.parties import stored_party
from labsys.companies.models import Company, User
from labsys.equipment.models import Instrument
from labsys.methods.models import TestMethod
from labsys.scheduling.models import Reservation

__all__ = ["add_received_booking"]


def add_received_booking(
    session: Session,
    *,
    method: TestMethod,
    customer: User,
    engineer: User,
    instruments: Sequence[Instrument],
    start: datetime,
    sample: tuple[str, str, str],
    buffer_min: int = 15,
) -> tuple[Booking, Sample]:
    """A booking of ``method`` received at ``start``, its ``sample`` (label, description, condition) received by
    ``engineer``, each of ``instruments`` reserved for the method's duration (flushed, not committed)."""
    company = session.get(Company, customer.company_id)
    assert company is not None
    party = stored_party(None, company)  # the booking's own company, as every party
    booking = Booking(
        applicant=party,
        payer=party,
        report_recipient=party,
        company_id=customer.company_id or 0,
        method_id=method.id or 0,
        method_version=method.version,
        requested_by_id=customer.id or 0,
        status=BookingStatus.SAMPLE_RECEIVED,
        quantity=1,
        fee_krw=method.fee_krw,
        starts_at=start,
        ends_at=start + timedelta(minutes=method.duration_min),
    )
    session.add(booking)
    session.flush()
    label, description, condition = sample
    received = Sample(
        booking_id=booking.id or 0,
        label=label,
        description=description,
        condition_on_receipt=condition,
        received_at=start,
        received_by_id=engineer.id,
    )
    session.add(received)
    for instrument in instruments:
        session.add(
            Reservation(
                booking_id=booking.id or 0,
                instrument_id=instrument.id or 0,
                starts_at=start,
                ends_at=booking.ends_at,
                blocked_until=booking.ends_at + timedelta(minutes=buffer_min),
            )
        )
    session.flush()
    return booking, received

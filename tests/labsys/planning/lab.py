"""Waiting work written to a test database for the planner: bookings with or without a slot, a fixed clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from labsys.bookings.models import Booking, BookingStatus, Sample, Urgency
from labsys.companies.models import Company, User
from labsys.equipment.models import Instrument
from labsys.methods.models import TestMethod
from labsys.scheduling.models import Reservation

__all__ = ["NOW", "WEEK", "kst", "waiting_booking"]

SEOUL = ZoneInfo("Asia/Seoul")

#: Monday 30 November 2026, 09:00 in Seoul: with 24 hours' notice the planner starts work from Tuesday 09:00.
NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
#: The lab week of NOW.
WEEK = "2026-W49"


def kst(day: int, hour: int, minute: int = 0) -> datetime:
    """A Seoul wall-clock time in December 2026 (or 30 November for ``day`` 30), as aware UTC."""
    month = 11 if day == 30 else 12
    return datetime(2026, month, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


def waiting_booking(
    session: Session,
    *,
    method: TestMethod,
    customer: User,
    start: datetime | None = None,
    instruments: Sequence[Instrument] = (),
    engineer: User | None = None,
    received_at: datetime | None = NOW - timedelta(days=1),
    urgency: Urgency = Urgency.STANDARD,
) -> Booking:
    """A booking of ``method`` waiting for its work: sample received at ``received_at`` (None: confirmed, sample not
    in yet), holding ``instruments`` from ``start`` with ``engineer`` (no ``start``: no slot). Committed."""
    company = session.get(Company, customer.company_id)
    assert company is not None
    party = {"name": company.name, "booking_company": True, "contact": ""}
    end = None if start is None else start + timedelta(minutes=method.duration_min)
    booking = Booking(
        applicant=party, payer=party, report_recipient=party, company_id=company.id or 0, method_id=method.id or 0,
        method_version=method.version, requested_by_id=customer.id or 0, quantity=1, fee_krw=method.fee_krw,
        status=BookingStatus.CONFIRMED if received_at is None else BookingStatus.SAMPLE_RECEIVED,
        starts_at=start, ends_at=end, urgency=urgency, updated_at=NOW - timedelta(days=2),
    )  # fmt: skip
    session.add(booking)
    session.flush()
    session.add(Sample(booking_id=booking.id or 0, label="S-1", description="part", received_at=received_at))
    for instrument in instruments:
        assert start is not None
        assert end is not None
        session.add(
            Reservation(
                booking_id=booking.id or 0, instrument_id=instrument.id or 0, starts_at=start, ends_at=end,
                blocked_until=end + timedelta(minutes=instrument.setup_buffer_min), booked_ends_at=end,
                engineer_id=None if engineer is None else engineer.id,
            )
        )  # fmt: skip
    session.commit()
    return booking

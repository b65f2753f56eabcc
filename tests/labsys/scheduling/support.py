"""A fixed clock and shorthands for scheduling tests: lab-zone times, booking requests, bookings."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from labsys.audit import Actor
from labsys.bookings import service
from labsys.bookings.batch import BookingRequest
from labsys.bookings.models import Booking, Urgency
from labsys.bookings.schemas import BookingCreate, SampleIn
from labsys.companies.models import User
from labsys.scheduling import SchedulingPolicy
from tests.factories import Lab

__all__ = ["NOW", "SEOUL", "book", "booking_in", "booking_request", "kst"]

SEOUL = ZoneInfo("Asia/Seoul")

#: Monday 30 November 2026, 09:00 in Seoul: with 24 hours' notice the first bookable start is Tuesday 09:00.
NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def kst(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A lab-zone wall-clock time, as the aware UTC time the lab stores."""
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


def booking_in(
    start: datetime | str,
    *,
    code: str = "DIODE-IV",
    quantities: tuple[int, ...] = (1,),
    urgency: Urgency = Urgency.STANDARD,
) -> BookingCreate:
    """A booking request for samples of the given quantities."""
    return BookingCreate.model_validate(
        {
            "method": code,
            "samples": [
                SampleIn(label=f"S-{n}", description="diode 1N4148", quantity=q) for n, q in enumerate(quantities, 1)
            ],
            "start": start,
            "urgency": urgency,
        }
    )


def booking_request(
    lab: Lab, start: datetime | str, *, code: str = "DIODE-IV", requested_by_id: int | None = None
) -> BookingRequest:
    """The lab's first customer's booking as it reaches the intake, at :data:`NOW`."""
    customer = lab.customer
    return BookingRequest(
        booking_in=booking_in(start, code=code),
        company_id=customer.company_id or 0,
        requested_by_id=customer.id or 0 if requested_by_id is None else requested_by_id,
        actor=Actor(customer.email, customer.id),
        now=NOW,
    )


def book(
    session: Session,
    lab: Lab,
    start: datetime | str,
    *,
    policy: SchedulingPolicy,
    code: str = "DIODE-IV",
    customer: User | None = None,
    now: datetime = NOW,
) -> Booking:
    """Book through the service as ``customer`` (default: the lab's first customer) and commit."""
    customer = customer or lab.customer
    assert customer.company_id is not None
    booked = service.create_booking(
        session=session,
        booking_in=booking_in(start, code=code),
        company_id=customer.company_id,
        requested_by_id=customer.id or 0,
        actor=Actor(customer.email, customer.id),
        policy=policy,
        now=now,
    )
    session.commit()
    booking = session.get(Booking, booked.id)
    assert booking is not None
    return booking

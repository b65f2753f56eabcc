"""A fixed clock and shorthands for scheduling tests: lab-zone times, booking requests, bookings."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from labsys.audit import Actor
from labsys.bookings import creation
from labsys.bookings.models import Booking, BookingCreate, Urgency
from labsys.bookings.models import SampleCreate as SampleIn
from labsys.companies.models import User
from labsys.scheduling import Quota, SchedulingPolicy
from tests.factories import Lab

__all__ = ["NOW", "SEOUL", "book", "booking_in", "kst", "quota_of"]

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
    booked = creation.create_booking(
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


def quota_of(session: Session, customer: User, policy: SchedulingPolicy, now: datetime = NOW) -> Quota:
    """The weekly quota of the customer's company as the rules see it at ``now``."""
    assert customer.company_id is not None
    return creation.company_quota(session, company_id=customer.company_id, policy=policy, now=now)

"""What the API takes and gives for bookings and availability."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field, TypeAdapter
from sqlmodel import SQLModel

from labsys.bookings.models import BookingStatus, Urgency

__all__ = [
    "BookingCreate",
    "BookingPublic",
    "BookingsPublic",
    "Party",
    "Quote",
    "Rejection",
    "Reschedule",
    "ReservationPublic",
    "SampleCondition",
    "SampleIn",
    "SamplePublic",
    "SampleReceipt",
    "SlotPublic",
    "booking_json",
]

Text = Annotated[str, Field(min_length=1, max_length=1000)]


def _unique_sample_ids(conditions: list[SampleCondition]) -> list[SampleCondition]:
    ids = [c.sample_id for c in conditions]
    if len(ids) != len(set(ids)):
        msg = "each sample may be listed once"
        raise ValueError(msg)
    return conditions


class Party(SQLModel):
    """One party of a Korean test request: who asks (printed on the report), who pays, or who receives it."""

    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=400)
    business_registration_number: str = Field(default="", max_length=12)
    contact: str = Field(default="", max_length=254, description="a person, e-mail or phone number")


class SampleIn(SQLModel):
    """An item the company will send: a label it will carry, what it is, and how many pieces."""

    label: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=1000)
    quantity: int = Field(default=1, gt=0, le=1000)


class BookingCreate(SQLModel):
    """A booking request. ``start`` is an aware time on an open day, or ``"earliest"`` for the first free slot.

    A party left out defaults to the booking company itself.
    """

    method: str = Field(min_length=1, max_length=40, description="the test method's code")
    samples: list[SampleIn] = Field(min_length=1, max_length=100)
    start: AwareDatetime | Literal["earliest"]
    urgency: Urgency = Urgency.STANDARD
    applicant: Party | None = None
    payer: Party | None = None
    report_recipient: Party | None = None
    note: str = Field(default="", max_length=2000)


class Reschedule(SQLModel):
    """A new start for a booking (an aware time, or ``"earliest"``)."""

    start: AwareDatetime | Literal["earliest"]


class Rejection(SQLModel):
    """Why the lab refuses a booking."""

    reason: Text


class SampleCondition(SQLModel):
    """How one sample arrived."""

    sample_id: int
    condition: Text


class SampleReceipt(SQLModel):
    """The condition of every sample of a booking on arrival."""

    samples: Annotated[list[SampleCondition], AfterValidator(_unique_sample_ids)] = Field(min_length=1)


class Quote(SQLModel):
    """The fee: the method's fee × the samples' total quantity × the urgency factor, in KRW."""

    unit_fee_krw: int
    quantity: int
    urgency: Urgency
    urgency_factor: float
    fee_krw: int


class SamplePublic(SQLModel):
    """A sample as the API shows it."""

    id: int
    label: str
    description: str
    quantity: int
    condition_on_receipt: str
    received_at: datetime | None


class ReservationPublic(SQLModel):
    """Instrument time a booking holds (``blocked_until`` includes the instrument's setup buffer)."""

    instrument: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    active: bool


class BookingPublic(SQLModel):
    """A booking as the API shows it."""

    id: int
    company_id: int
    method: str
    method_version: int
    status: BookingStatus
    urgency: Urgency
    quote: Quote
    fee_krw: int
    starts_at: datetime | None
    ends_at: datetime | None
    report_due: date | None = Field(description="the working day the report is due, counted from the slot's end")
    applicant: Party
    payer: Party
    report_recipient: Party
    samples: list[SamplePublic]
    reservations: list[ReservationPublic]
    note: str
    created_at: datetime
    updated_at: datetime


class BookingsPublic(SQLModel):
    """A page of bookings, newest first, and how many there are in all."""

    data: list[BookingPublic]
    count: int


class SlotPublic(SQLModel):
    """A free slot: the instruments (asset tags, one per kind the method needs) and the work's start and end."""

    instruments: list[str]
    start: datetime
    end: datetime


_BOOKING = TypeAdapter(BookingPublic)


def booking_json(booking: BookingPublic) -> bytes:
    """The booking as the API's JSON body, made where the booking is (the writer process makes it there once)."""
    return _BOOKING.dump_json(booking)

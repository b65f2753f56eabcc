"""Bookings and their samples, each as a SQLModel family (see :mod:`labsys.companies.models`).

A field added to ``BookingBase`` is taken by ``POST /api/bookings``, stored (with a migration), answered and kept in
the audit trail, with no other change: the service copies the base's fields, and the public view and the audit
snapshot are built from the whole record.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime
from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from labsys.bounds import MONEY_MAX_KRW, within_lab_years
from labsys.companies.brn import normalize_brn
from labsys.companies.models import BusinessRegistrationNumber
from labsys.db.types import MONEY_KRW, UTCDateTime, enum_type, utcnow
from labsys.scheduling.models import ReservationPublic

__all__ = [
    "Booking",
    "BookingBase",
    "BookingCreate",
    "BookingPublic",
    "BookingStart",
    "BookingStatus",
    "BookingsPublic",
    "CalendarFeed",
    "CalendarFeedPublic",
    "IdentifiedParty",
    "Party",
    "PartyRequest",
    "Quote",
    "Sample",
    "SampleBase",
    "SampleCreate",
    "SampleDisposition",
    "SamplePublic",
    "Urgency",
    "booking_snapshot",
    "sample_snapshot",
]


def _in_lab_years(start: datetime | Literal["earliest"]) -> datetime | Literal["earliest"]:
    return start if start == "earliest" else within_lab_years(start)


#: When a booking is to start: an aware time in the lab's years, or ``"earliest"`` for the first free slot.
BookingStart = Annotated[AwareDatetime | Literal["earliest"], AfterValidator(_in_lab_years)]


class BookingStatus(StrEnum):
    """Where a booking is in its lifecycle."""

    REQUESTED = "requested"
    QUOTED = "quoted"
    CONFIRMED = "confirmed"
    SAMPLE_RECEIVED = "sample_received"
    TESTING = "testing"
    IN_REVIEW = "in_review"
    REPORTED = "reported"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class Urgency(StrEnum):
    """Standard turnaround, or urgent at 1.5 times the fee."""

    STANDARD = "standard"
    URGENT = "urgent"


class Party(SQLModel):
    """One party of a Korean test request: who asks (printed on the report), who pays, or who receives it."""

    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=400)
    business_registration_number: str = Field(default="", max_length=12)
    contact: str = Field(default="", max_length=254, description="a person, e-mail or phone number")


def _number_if_given(value: str) -> str:
    return normalize_brn(value) if value.strip() else ""


class PartyRequest(Party):
    """A party as a booking request names it: a registration number, if given, is a valid one (ten digits kept)."""

    business_registration_number: Annotated[str, AfterValidator(_number_if_given)] = Field(default="", max_length=20)


class IdentifiedParty(Party):
    """The applicant or the payer as a booking request names them: a business identified by its valid
    사업자등록번호 (the booking's own company's number names the company as registered)."""

    business_registration_number: BusinessRegistrationNumber = Field(
        max_length=20, description="사업자등록번호: 10 digits with a valid check digit, dashes allowed"
    )


class Quote(SQLModel):
    """The fee: the method's fee × the samples' total quantity × the urgency factor, in KRW."""

    unit_fee_krw: int
    quantity: int
    urgency: Urgency
    urgency_factor: float
    fee_krw: int


class SampleDisposition(StrEnum):
    """What became of a sample after its report: returned to the customer, or disposed of by the lab."""

    RETURNED = "returned"
    DISPOSED = "disposed"


class SampleBase(SQLModel):
    """An item the company sends for testing: a label it will carry, what it is, and how many pieces."""

    label: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=1000)
    quantity: int = Field(default=1, gt=0, le=1000)


class SampleCreate(SampleBase):
    """A sample named in a booking request."""


class Sample(SampleBase, table=True):
    """A sample and how it arrived."""

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    condition_on_receipt: str = Field(default="", max_length=1000)
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_by_id: int | None = Field(default=None, foreign_key="user.id")
    disposition: SampleDisposition | None = Field(default=None, sa_type=enum_type(SampleDisposition))
    disposition_note: str = Field(default="", max_length=1000)
    disposition_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disposition_by_id: int | None = Field(default=None, foreign_key="user.id")


class SamplePublic(SampleBase):
    """A sample as the API shows it: how it arrived, and what became of it after the report."""

    id: int
    condition_on_receipt: str
    received_at: datetime | None
    disposition: SampleDisposition | None
    disposition_note: str
    disposition_at: datetime | None


class BookingBase(SQLModel):
    """What a customer decides about a booking besides its method, samples and start."""

    urgency: Urgency = Field(default=Urgency.STANDARD, sa_type=enum_type(Urgency))
    note: str = Field(default="", max_length=2000)


class BookingCreate(BookingBase):
    """A booking request. ``start`` is an aware time on an open day, or ``"earliest"`` for the first free slot.

    A party left out is the booking company itself, as is one that carries the company's registration number (its
    registered name and address apply). Any other applicant or payer is a business with a valid 사업자등록번호.
    """

    method: str = Field(min_length=1, max_length=40, description="the test method's code")
    samples: list[SampleCreate] = Field(min_length=1, max_length=100)
    start: BookingStart
    applicant: IdentifiedParty | None = None
    payer: IdentifiedParty | None = None
    report_recipient: PartyRequest | None = None


class Booking(BookingBase, table=True):
    """A test request. ``applicant`` is printed on the report; ``payer`` pays; ``report_recipient`` receives it.

    Each party is ``{name, address, business_registration_number, contact}``.
    """

    # A company's bookings by start: the weekly quota and the company's own lists read them this way.
    __table_args__ = (Index("ix_booking_company_id_starts_at", "company_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    method_id: int = Field(foreign_key="test_method.id")
    method_version: int
    requested_by_id: int = Field(foreign_key="user.id")
    status: BookingStatus = Field(default=BookingStatus.REQUESTED, sa_type=enum_type(BookingStatus), index=True)
    quantity: int = Field(gt=0)
    fee_krw: int = Field(ge=0, le=MONEY_MAX_KRW, sa_type=MONEY_KRW)
    applicant: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    payer: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    report_recipient: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When its slot was released because no run started in time (a no-show); None once it is rescheduled.
    no_show_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BookingPublic(BookingBase):
    """A booking as the API shows it."""

    id: int
    company_id: int
    method: str
    method_version: int
    status: BookingStatus
    quote: Quote
    fee_krw: int
    starts_at: datetime | None
    ends_at: datetime | None
    no_show_at: datetime | None = Field(
        default=None,
        description="when the slot was released because no run started within the no-show time after it began: the "
        "booking holds no instrument time until it is rescheduled",
    )
    report_due: date | None = Field(description="the working day the report is due, counted from the slot's end")
    applicant: Party
    payer: Party
    report_recipient: Party
    samples: list[SamplePublic]
    reservations: list[ReservationPublic]
    created_at: datetime
    updated_at: datetime


class BookingsPublic(SQLModel):
    """A page of bookings, newest first, and how many there are in all."""

    data: list[BookingPublic]
    count: int


class CalendarFeed(SQLModel, table=True):
    """A user's secret calendar address: only the SHA-256 of its secret is kept, so the address is shown once.

    A user has at most one; making a new one replaces it, and the old address stops working.
    """

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True)
    secret_sha256: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CalendarFeedPublic(SQLModel):
    """A new calendar address: calendar applications subscribe to ``url`` with no sign-in.

    Keep it private: anyone with it reads the bookings. It is shown this once; a new one replaces it.
    """

    url: str
    created_at: datetime


def booking_snapshot(booking: Booking) -> dict[str, Any]:
    """What the audit trail keeps of a booking."""
    return booking.model_dump(exclude={"created_at", "updated_at"})


def sample_snapshot(sample: Sample) -> dict[str, Any]:
    """What the audit trail keeps of a sample."""
    return sample.model_dump()

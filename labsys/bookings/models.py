"""Bookings: a company's request for one method on its samples, and the instrument time it holds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DDL, JSON, Column, Index, event, func, literal_column
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = [
    "NO_OVERLAP",
    "SQLITE_NO_OVERLAP_TRIGGERS",
    "Booking",
    "BookingStatus",
    "Reservation",
    "Sample",
    "Urgency",
]

#: The name of the database's guarantee that two active reservations of one instrument never overlap.
NO_OVERLAP = "reservation_no_overlap"


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


class Booking(SQLModel, table=True):
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
    urgency: Urgency = Field(default=Urgency.STANDARD, sa_type=enum_type(Urgency))
    quantity: int = Field(gt=0)
    fee_krw: int = Field(ge=0)
    applicant: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    payer: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    report_recipient: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Sample(SQLModel, table=True):
    """An item the company sends for testing, and how it arrived."""

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    label: str = Field(max_length=100)
    description: str = Field(default="", max_length=1000)
    quantity: int = Field(default=1, gt=0)
    condition_on_receipt: str = Field(default="", max_length=1000)
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_by_id: int | None = Field(default=None, foreign_key="user.id")


class Reservation(SQLModel, table=True):
    """One instrument held for one booking from ``starts_at`` to ``ends_at``.

    ``blocked_until`` adds the instrument's setup buffer: the instrument is unavailable to anyone else until
    then. Only active reservations block time, and two active reservations of one instrument never overlap over
    ``[starts_at, blocked_until)``. The database guarantees it under any load, whatever code writes the rows:
    on PostgreSQL an exclusion constraint (GiST, needs the ``btree_gist`` extension); on SQLite triggers that
    abort the insert or update (SQLite's writers are serialised, so the trigger sees every committed row).
    A violation surfaces as an ``IntegrityError`` naming :data:`NO_OVERLAP`.
    """

    __table_args__ = (
        Index("ix_reservation_instrument_id_starts_at", "instrument_id", "starts_at"),
        ExcludeConstraint(
            (literal_column("instrument_id"), "="),
            (func.tstzrange(literal_column("starts_at"), literal_column("blocked_until")), "&&"),
            where=literal_column("active"),
            using="gist",
            name=NO_OVERLAP,
        ).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    # Indexed by (instrument_id, starts_at) above, which serves every lookup by instrument: an index of its own
    # would only cost each new reservation another page written.
    instrument_id: int = Field(foreign_key="instrument.id")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    blocked_until: datetime = Field(sa_type=UTCDateTime)
    # Not indexed: nearly every row is active, and such an index lures SQLite's planner away from
    # (instrument_id, starts_at), the range scan every schedule query needs.
    active: bool = True
    actual_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    actual_end: datetime | None = Field(default=None, sa_type=UTCDateTime)


def _sqlite_trigger(event_clause: str, same_row: str) -> str:
    # Fixed text assembled from constants in this module: no value from outside reaches it.
    return f"""
CREATE TRIGGER {NO_OVERLAP}_{event_clause.split(maxsplit=1)[0].lower()} BEFORE {event_clause} ON reservation
FOR EACH ROW WHEN NEW.active
BEGIN
    SELECT RAISE(ABORT, '{NO_OVERLAP}: the instrument is already reserved at that time')
    WHERE EXISTS (
        SELECT 1 FROM reservation AS other
        WHERE other.instrument_id = NEW.instrument_id AND other.active {same_row}
        AND other.starts_at > datetime(NEW.starts_at, '-2 days')
        AND other.starts_at < NEW.blocked_until AND other.blocked_until > NEW.starts_at
    );
END"""  # noqa: S608


#: SQLite's guarantee of :data:`NO_OVERLAP` (the migration creates the same triggers). The lower bound on
#: ``other.starts_at`` keeps the check an index range scan: no reservation is longer than two days.
SQLITE_NO_OVERLAP_TRIGGERS = (
    _sqlite_trigger("INSERT", ""),
    _sqlite_trigger("UPDATE OF instrument_id, starts_at, blocked_until, active", "AND other.id != NEW.id"),
)

for _trigger in SQLITE_NO_OVERLAP_TRIGGERS:
    event.listen(
        Reservation.__table__,  # type: ignore[attr-defined]
        "after_create",
        DDL(_trigger).execute_if(dialect="sqlite"),  # type: ignore[no-untyped-call]
    )

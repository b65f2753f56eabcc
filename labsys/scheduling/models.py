"""Reservations: instrument time a booking holds, which two bookings never share; engineers' weekly shifts and
leave; instruments' downtime.

``ReservationBase`` holds what a reservation shares with its public view (see :mod:`labsys.companies.models`).
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import DDL, Index, Time, event, func, literal_column
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = [
    "NO_OVERLAP",
    "SQLITE_NO_OVERLAP_TRIGGERS",
    "Downtime",
    "DowntimeKind",
    "EngineerLeave",
    "EngineerShift",
    "ReleaseReason",
    "Reservation",
    "ReservationBase",
    "ReservationPublic",
]

#: The name of the database's guarantee that two active reservations of one instrument never overlap.
NO_OVERLAP = "reservation_no_overlap"


class ReleaseReason(StrEnum):
    """Why a reservation stopped holding its time: its booking was cancelled by the customer or rejected by the
    lab, moved to another time by a reschedule or by the planner, or nobody came (a no-show: the time was held and
    wasted, which utilisation counts)."""

    CANCELLED = "cancelled"
    REJECTED = "rejected"
    RESCHEDULED = "rescheduled"
    NO_SHOW = "no_show"
    REPLANNED = "replanned"


class ReservationBase(SQLModel):
    """Instrument time from ``starts_at`` to ``ends_at``; ``blocked_until`` adds the instrument's setup buffer.

    ``actual_start`` and ``actual_end`` are when the runs on it really started and ended. When the booking's last
    sample has been run, the reservation ends with the work: ``ends_at`` becomes the actual end (and
    ``blocked_until`` that plus the setup buffer), never later than booked, and ``booked_ends_at`` keeps the end the
    booking was given, so booked and used time can be compared. ``booked_ends_at`` is None only on rows written
    without it (older code, test factories): the booked end is then ``ends_at``.
    """

    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    blocked_until: datetime = Field(sa_type=UTCDateTime)
    # Not indexed: nearly every row is active, and such an index lures SQLite's planner away from
    # (instrument_id, starts_at), the range scan every schedule query needs.
    active: bool = True
    actual_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    actual_end: datetime | None = Field(default=None, sa_type=UTCDateTime)
    booked_ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When and why it was released (``active`` False); None while active, and on rows released before the lab kept
    # the reason whose reason the migration could not tell (see 0012).
    released_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    release_reason: ReleaseReason | None = Field(default=None, sa_type=enum_type(ReleaseReason))


class Reservation(ReservationBase, table=True):
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
    # The engineer who does the booking's work (the same on every reservation of a booking); None on rows made
    # before engineers' time was planned.
    engineer_id: int | None = Field(default=None, foreign_key="user.id", index=True)


class EngineerShift(SQLModel, table=True):
    """One weekly shift of an engineer: on ``weekday`` (0 = Monday) from ``starts_at`` to ``ends_at``, lab-zone
    wall-clock times. An engineer with no shift works the lab's opening hours on every open day."""

    __tablename__ = "engineer_shift"

    id: int | None = Field(default=None, primary_key=True)
    engineer_id: int = Field(foreign_key="user.id", index=True)
    weekday: int
    starts_at: time = Field(sa_type=Time)
    ends_at: time = Field(sa_type=Time)


class EngineerLeave(SQLModel, table=True):
    """Days an engineer does not work, ``first_day`` to ``last_day`` inclusive (lab-zone dates), and why."""

    __tablename__ = "engineer_leave"

    id: int | None = Field(default=None, primary_key=True)
    engineer_id: int = Field(foreign_key="user.id", index=True)
    first_day: date
    last_day: date
    reason: str = Field(max_length=400)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DowntimeKind(StrEnum):
    """Why an instrument is out of use for a while: planned maintenance, or a repair."""

    MAINTENANCE = "maintenance"
    REPAIR = "repair"


class Downtime(SQLModel, table=True):
    """A block ``[starts_at, ends_at)`` in which an instrument can hold no reservation, with the reason.

    Reservations made before the block stay as they are until the planner moves them.
    """

    __tablename__ = "instrument_downtime"
    __table_args__ = (Index("ix_instrument_downtime_instrument_id_starts_at", "instrument_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    instrument_id: int = Field(foreign_key="instrument.id")
    kind: DowntimeKind = Field(sa_type=enum_type(DowntimeKind))
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(max_length=400)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


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


class ReservationPublic(ReservationBase):
    """Instrument time a booking holds, with the instrument's asset tag and kind."""

    instrument: str
    kind: str


for _trigger in SQLITE_NO_OVERLAP_TRIGGERS:
    event.listen(
        Reservation.__table__,  # type: ignore[attr-defined]
        "after_create",
        DDL(_trigger).execute_if(dialect="sqlite"),  # type: ignore[no-untyped-call]
    )

"""What the scheduling rules read from the database for one window of time, in a handful of queries.

Rules and availability never query per candidate slot: :func:`load_context` reads the method's instruments,
the active reservations overlapping the window (an index range scan on ``(instrument_id, starts_at)``), the
company's bookings per week and the qualified engineers once, and the rules work on that in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, bindparam, func, select, true
from sqlmodel import Session

from labsys.bookings.models import Booking, BookingStatus, Reservation
from labsys.companies.models import Role, User
from labsys.db.memo import once_per_transaction
from labsys.db.types import table_of
from labsys.equipment.models import Instrument, InstrumentStatus
from labsys.scheduling.busy import HeldTime, Occupancy, Remember
from labsys.scheduling.policy import MAX_RESERVATION_SPAN, SchedulingPolicy

__all__ = [
    "INACTIVE_STATUSES",
    "BookableInstrument",
    "SchedulingContext",
    "TimedMethod",
    "load_context",
]

T = TypeVar("T")

#: Bookings in these states hold no instrument time and count towards no quota.
INACTIVE_STATUSES = (BookingStatus.CANCELLED, BookingStatus.REJECTED)


class TimedMethod(Protocol):
    """What scheduling needs of a test method (a catalog :class:`~labsys.methods.models.TestMethod` has it)."""

    @property
    def code(self) -> str:
        """The method's code."""

    @property
    def instrument_kinds(self) -> Sequence[str]:
        """The kinds of instrument it needs, one of each, all at once."""

    @property
    def duration_min(self) -> int:
        """How long the work takes, in minutes."""


@dataclass(frozen=True)
class BookableInstrument:
    """An in-service instrument as the scheduling rules see it."""

    id: int
    asset_tag: str
    kind: str
    setup_buffer_min: int
    calibration_due: date | None

    def calibrated_through(self, day: date) -> bool:
        """Whether the calibration is valid on ``day`` (the due date itself still counts)."""
        return self.calibration_due is not None and day <= self.calibration_due


@dataclass
class SchedulingContext:
    """Everything the rules need to judge starts within one window, for one method and one company."""

    policy: SchedulingPolicy
    now: datetime
    method: TimedMethod
    window_start: datetime
    window_end: datetime
    company_id: int | None
    instruments: dict[str, list[BookableInstrument]]
    occupancy: Occupancy
    bookings_per_week: dict[date, int]
    engineer_qualified: bool


def load_context(
    session: Session,
    *,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    window_start: datetime,
    window_end: datetime,
    company_id: int | None,
    ignore_booking_id: int | None = None,
    held: HeldTime | None = None,
) -> SchedulingContext:
    """Read what the rules need to judge every start in ``[window_start, window_end)``.

    Args:
        ignore_booking_id: a booking being rescheduled: its own reservations and quota count are left out, as
            they are freed by the move.
        held: time held by bookings of this transaction not yet written, added to what the database holds.
    """
    connection = session.connection()
    kinds = tuple(method.instrument_kinds)
    instruments = once_per_transaction(session, ("instruments", kinds), lambda: _instruments_by_kind(connection, kinds))
    ids = [i.id for group in instruments.values() for i in group]
    # A slot starting just before the window's end holds its instruments for the work and the longest buffer.
    longest_buffer = max((i.setup_buffer_min for group in instruments.values() for i in group), default=0)
    reach = window_end + timedelta(minutes=method.duration_min + longest_buffer)
    ignored = ignore_booking_id or 0  # ids start at 1: 0 leaves nothing out
    remember = held.remember if held is not None else _read_now
    occupancy = _occupancy(connection, ids, window_start, reach, ignored, remember=remember)
    per_week = _bookings_per_week(
        connection, policy=policy, company_id=company_id, start=window_start, end=window_end, ignored=ignored,
        remember=remember,
    )  # fmt: skip
    if held is not None:
        held.add_to(occupancy, per_week, ids=set(ids), since=window_start, until=reach, company_id=company_id)
    return SchedulingContext(
        policy=policy,
        now=now,
        method=method,
        window_start=window_start,
        window_end=window_end,
        company_id=company_id,
        instruments=instruments,
        occupancy=occupancy,
        bookings_per_week=per_week,
        engineer_qualified=once_per_transaction(
            session, ("engineer_qualified", kinds), lambda: _engineer_qualified(connection, kinds)
        ),
    )


# The statements below run for every booking, reschedule and availability query: they are built once, with
# bound parameters, and executed on the session's connection without the ORM.
_INSTRUMENTS = table_of(Instrument)
_RESERVATIONS = table_of(Reservation)
_BOOKINGS = table_of(Booking)
_USERS = table_of(User)

_IN_SERVICE_OF_KINDS = (
    select(
        _INSTRUMENTS.c.id,
        _INSTRUMENTS.c.asset_tag,
        _INSTRUMENTS.c.kind,
        _INSTRUMENTS.c.setup_buffer_min,
        _INSTRUMENTS.c.calibration_due,
    )
    .where(_INSTRUMENTS.c.kind.in_(bindparam("kinds", expanding=True)))
    .where(_INSTRUMENTS.c.status == InstrumentStatus.IN_SERVICE)
    .order_by(_INSTRUMENTS.c.asset_tag)
)
_BUSY = (
    select(_RESERVATIONS.c.instrument_id, _RESERVATIONS.c.starts_at, _RESERVATIONS.c.blocked_until)
    .where(
        _RESERVATIONS.c.instrument_id.in_(bindparam("instrument_ids", expanding=True)),
        _RESERVATIONS.c.active == true(),
        # The lower bound keeps this an index range scan on (instrument_id, starts_at).
        _RESERVATIONS.c.starts_at >= bindparam("earliest_start", type_=_RESERVATIONS.c.starts_at.type),
        _RESERVATIONS.c.starts_at < bindparam("until", type_=_RESERVATIONS.c.starts_at.type),
        _RESERVATIONS.c.blocked_until > bindparam("since", type_=_RESERVATIONS.c.blocked_until.type),
        _RESERVATIONS.c.booking_id != bindparam("ignored"),
    )
    .order_by(_RESERVATIONS.c.instrument_id, _RESERVATIONS.c.starts_at)
)
_BOOKINGS_IN_WEEK = select(func.count()).where(
    _BOOKINGS.c.company_id == bindparam("company_id"),
    _BOOKINGS.c.starts_at >= bindparam("week_start", type_=_BOOKINGS.c.starts_at.type),
    _BOOKINGS.c.starts_at < bindparam("week_end", type_=_BOOKINGS.c.starts_at.type),
    _BOOKINGS.c.status.not_in(INACTIVE_STATUSES),
    _BOOKINGS.c.id != bindparam("ignored"),
)
_ENGINEERS_QUALIFICATIONS = select(_USERS.c.qualifications).where(
    _USERS.c.role == Role.ENGINEER, _USERS.c.active == true()
)


def _instruments_by_kind(connection: Connection, kinds: Sequence[str]) -> dict[str, list[BookableInstrument]]:
    by_kind: dict[str, list[BookableInstrument]] = {kind: [] for kind in kinds}
    for row in connection.execute(_IN_SERVICE_OF_KINDS, {"kinds": list(kinds)}):
        by_kind[row.kind].append(BookableInstrument(*row))
    return by_kind


def _read_now(_key: Hashable, read: Callable[[], T]) -> T:
    return read()


def _occupancy(
    connection: Connection,
    instrument_ids: list[int],
    start: datetime,
    end: datetime,
    ignored: int,
    *,
    remember: Remember,
) -> Occupancy:
    occupancy = Occupancy()
    if not instrument_ids:
        return occupancy
    params = {
        "instrument_ids": instrument_ids,
        "earliest_start": start - MAX_RESERVATION_SPAN,
        "until": end,
        "since": start,
        "ignored": ignored,
    }
    key = ("busy", tuple(instrument_ids), start, end, ignored)
    for instrument_id, starts_at, blocked_until in remember(key, lambda: connection.execute(_BUSY, params).all()):
        occupancy.add(instrument_id, starts_at, blocked_until)
    return occupancy


def _bookings_per_week(
    connection: Connection,
    *,
    policy: SchedulingPolicy,
    company_id: int | None,
    start: datetime,
    end: datetime,
    ignored: int,
    remember: Remember,
) -> dict[date, int]:
    counts: dict[date, int] = defaultdict(int)
    if company_id is None:
        return counts
    week, last = policy.week_of(start), policy.week_of(end)
    while week <= last:
        week_start, week_end = policy.week_bounds(week)
        params = {"company_id": company_id, "week_start": week_start, "week_end": week_end, "ignored": ignored}
        key = ("bookings_in_week", company_id, week_start, ignored)
        counts[week] = remember(key, partial(_count_in_week, connection, params))
        week += timedelta(days=7)
    return counts


def _count_in_week(connection: Connection, params: dict[str, Any]) -> int:
    count: int = connection.execute(_BOOKINGS_IN_WEEK, params).scalar_one()
    return count


def _engineer_qualified(connection: Connection, kinds: Sequence[str]) -> bool:
    needed = set(kinds)
    return any(needed <= set(qualifications) for (qualifications,) in connection.execute(_ENGINEERS_QUALIFICATIONS))

"""What the scheduling rules read from the database for one stretch of time, in a few queries.

Rules and availability never query per candidate slot: :func:`read_context` reads the method's instruments in
service, the active reservations over the stretch (an index range scan on ``(instrument_id, starts_at)``), the
instruments' downtime blocks, and the qualified engineers' time (:mod:`labsys.scheduling.roster`), once; the
rules work on that in memory.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlmodel import Session, col, select

from labsys.equipment.models import Instrument, InstrumentStatus
from labsys.scheduling.models import Downtime, Reservation
from labsys.scheduling.policy import MAX_RESERVATION_SPAN, SchedulingPolicy
from labsys.scheduling.roster import Roster, read_roster

__all__ = [
    "BookableInstrument",
    "DowntimeBlocks",
    "Occupancy",
    "Quota",
    "SchedulingContext",
    "TimedMethod",
    "read_context",
]


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
class Quota:
    """A company's weekly quota of bookings, and how many it holds in each lab week (by the week's Monday)."""

    limit: int
    used: Mapping[date, int]

    def full(self, week: date) -> bool:
        """Whether the company holds its quota in the lab week beginning ``week``."""
        return self.used.get(week, 0) >= self.limit


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
class Occupancy:
    """The busy intervals ``[starts_at, blocked_until)`` of each instrument, sorted by start.

    Active reservations of one instrument never overlap (the database guarantees it), so both lists are sorted
    and a free check is one binary search.
    """

    starts: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    ends: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))

    def add(self, instrument_id: int, start: datetime, blocked_until: datetime) -> None:
        """Add a busy interval; intervals of one instrument must be added in order of start."""
        self.starts[instrument_id].append(start)
        self.ends[instrument_id].append(blocked_until)

    def free_from(self, instrument_id: int, start: datetime, blocked_until: datetime) -> datetime | None:
        """None if the instrument is free over ``[start, blocked_until)``; otherwise the end of the first busy
        interval in the way: no start before it can have the instrument for that long."""
        starts = self.starts.get(instrument_id)
        if not starts:
            return None
        ends = self.ends[instrument_id]
        first = bisect_right(ends, start)  # intervals [0, first) end at or before our start
        if first < len(starts) and starts[first] < blocked_until:
            return ends[first]
        return None


@dataclass
class DowntimeBlocks:
    """The maintenance and repair blocks ``[starts_at, ends_at)`` of each instrument (they may overlap)."""

    blocks: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=lambda: defaultdict(list))

    def in_the_way(self, instrument_id: int, start: datetime, until: datetime) -> datetime | None:
        """None if no block touches ``[start, until)``; otherwise when the last block in the way ends."""
        ends = [e for s, e in self.blocks.get(instrument_id, []) if s < until and start < e]
        return max(ends, default=None)


@dataclass
class SchedulingContext:
    """Everything the rules need to judge starts within a stretch of time, for one method and one company."""

    policy: SchedulingPolicy
    now: datetime
    method: TimedMethod
    quota: Quota | None
    instruments: dict[str, list[BookableInstrument]]
    roster: Roster
    occupancy: Occupancy
    downtime: DowntimeBlocks

    @property
    def engineer_qualified(self) -> bool:
        """Whether some active engineer is qualified for every instrument kind of the method."""
        return bool(self.roster.engineers)


def read_context(
    session: Session,
    *,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    since: datetime,
    until: datetime,
    quota: Quota | None,
    ignore_booking_id: int | None = None,
) -> SchedulingContext:
    """Read what the rules need to judge every start in ``[since, until)``.

    Args:
        quota: the company's weekly quota, or None for the lab's staff, who have none.
        ignore_booking_id: a booking being rescheduled: its own reservations are left out, as the move frees them.
    """
    kinds = tuple(method.instrument_kinds)
    instruments = _in_service(session, kinds)
    # A slot starting just before ``until`` holds its instruments for the work and the longest buffer.
    longest_buffer = max((i.setup_buffer_min for group in instruments.values() for i in group), default=0)
    reach = until + timedelta(minutes=method.duration_min + longest_buffer)
    ids = [i.id for group in instruments.values() for i in group]
    return SchedulingContext(
        policy=policy,
        now=now,
        method=method,
        quota=quota,
        instruments=instruments,
        roster=read_roster(session, kinds, since, reach, ignore_booking_id),
        occupancy=_occupancy(session, ids, since, reach, ignore_booking_id),
        downtime=_downtime(session, ids, since, reach),
    )


def _in_service(session: Session, kinds: Sequence[str]) -> dict[str, list[BookableInstrument]]:
    by_kind: dict[str, list[BookableInstrument]] = {kind: [] for kind in kinds}
    query = (
        select(Instrument)
        .where(col(Instrument.kind).in_(kinds), Instrument.status == InstrumentStatus.IN_SERVICE)
        .order_by(col(Instrument.asset_tag))
    )
    for i in session.exec(query):
        by_kind[i.kind].append(
            BookableInstrument(i.id or 0, i.asset_tag, i.kind, i.setup_buffer_min, i.calibration_due)
        )
    return by_kind


def _occupancy(
    session: Session, instrument_ids: list[int], since: datetime, until: datetime, ignored: int | None
) -> Occupancy:
    occupancy = Occupancy()
    if not instrument_ids:
        return occupancy
    query = (
        select(Reservation.instrument_id, Reservation.starts_at, Reservation.blocked_until)
        .where(
            col(Reservation.instrument_id).in_(instrument_ids),
            col(Reservation.active),
            # The lower bound keeps this an index range scan on (instrument_id, starts_at).
            col(Reservation.starts_at) >= since - MAX_RESERVATION_SPAN,
            col(Reservation.starts_at) < until,
            col(Reservation.blocked_until) > since,
        )
        .order_by(col(Reservation.instrument_id), col(Reservation.starts_at))
    )
    if ignored is not None:
        query = query.where(Reservation.booking_id != ignored)
    for instrument_id, starts_at, blocked_until in session.exec(query):
        occupancy.add(instrument_id, starts_at, blocked_until)
    return occupancy


def _downtime(session: Session, instrument_ids: list[int], since: datetime, until: datetime) -> DowntimeBlocks:
    downtime = DowntimeBlocks()
    if not instrument_ids:
        return downtime
    query = select(Downtime.instrument_id, Downtime.starts_at, Downtime.ends_at).where(
        col(Downtime.instrument_id).in_(instrument_ids),
        col(Downtime.starts_at) < until,
        col(Downtime.ends_at) > since,
    )
    for instrument_id, starts_at, ends_at in session.exec(query):
        downtime.blocks[instrument_id].append((starts_at, ends_at))
    return downtime

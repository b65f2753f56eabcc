"""A planning problem: the lab's instruments, engineers, open hours and the bookings waiting for work, over a horizon.

Plain frozen values, no database: the caller reads them from wherever it keeps them. Every moment is a
timezone-aware UTC ``datetime``; days (promises, calibration due dates) are lab-zone dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from labsys.scheduling.policy import SchedulingPolicy

__all__ = [
    "PROMISE_WORKING_DAYS",
    "URGENT_PROMISE_WORKING_DAYS",
    "Booking",
    "Engineer",
    "Instrument",
    "Period",
    "PlanningProblem",
    "Reservation",
    "open_windows",
    "promise_deadline",
    "promised_date",
]

#: Working days from sample receipt to the report, as the lab promises them.
PROMISE_WORKING_DAYS = 7
URGENT_PROMISE_WORKING_DAYS = 5


@dataclass(frozen=True, order=True)
class Period:
    """A half-open span of time ``[start, end)``, in UTC."""

    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether ``[start, end)`` shares any moment with this period."""
        return start < self.end and self.start < end

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether ``[start, end)`` lies wholly inside this period."""
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Instrument:
    """An instrument that can hold work: busy for the work plus its setup buffer; out of use in its downtime."""

    id: int
    asset_tag: str
    kind: str
    setup_buffer_min: int
    calibration_due: date | None  # valid through this lab-zone day; None: never calibrated
    downtime: tuple[Period, ...] = ()

    def calibrated_through(self, day: date) -> bool:
        """Whether the calibration is valid on ``day`` (the due date itself still counts)."""
        return self.calibration_due is not None and day <= self.calibration_due


@dataclass(frozen=True)
class Engineer:
    """An engineer: the instrument kinds they may run and when they are at work (shifts minus leave)."""

    id: int
    name: str
    qualified_kinds: frozenset[str]
    available: tuple[Period, ...]  # sorted, disjoint

    def qualified_for(self, kinds: tuple[str, ...]) -> bool:
        """Whether the engineer may run every kind of ``kinds``."""
        return all(kind in self.qualified_kinds for kind in kinds)

    def available_over(self, start: datetime, end: datetime) -> bool:
        """Whether the engineer is at work for the whole of ``[start, end)``."""
        return any(period.covers(start, end) for period in self.available)


@dataclass(frozen=True)
class Reservation:
    """Where and when a confirmed booking's work is held today."""

    start: datetime
    instrument_ids: tuple[int, ...]
    engineer_id: int | None


@dataclass(frozen=True)
class Booking:
    """A booking whose work is waiting to be done (or is confirmed and may be moved).

    ``kinds`` are the instrument kinds the method needs, one instrument of each at once; any instrument of a kind
    will do. ``release`` is the earliest start (the sample is in the lab and the notice has passed);
    ``promised_by`` is the moment the report is promised for (the promised day's closing time).
    """

    id: int
    company: str
    kinds: tuple[str, ...]
    duration_min: int
    release: datetime
    received: datetime
    promised: date
    promised_by: datetime
    urgent: bool = False
    current: Reservation | None = None

    @property
    def duration(self) -> timedelta:
        """How long the work takes."""
        return timedelta(minutes=self.duration_min)


@dataclass(frozen=True)
class PlanningProblem:
    """Everything the planner needs over ``[start, end)``.

    ``open_windows`` are the lab's opening hours on each open day, sorted; work lies within one of them and starts
    on the slot grid (every ``grid_min`` minutes from the window's start).
    """

    start: datetime
    end: datetime
    now: datetime
    grid_min: int
    open_windows: tuple[Period, ...]
    instruments: tuple[Instrument, ...]
    engineers: tuple[Engineer, ...]
    bookings: tuple[Booking, ...]
    policy: SchedulingPolicy = field(compare=False, repr=False)

    def instruments_of(self, kind: str) -> list[Instrument]:
        """The instruments of ``kind``, by id."""
        return sorted((i for i in self.instruments if i.kind == kind), key=lambda i: i.id)

    def instrument(self, instrument_id: int) -> Instrument:
        """The instrument with this id (KeyError if it is not in the problem)."""
        return {i.id: i for i in self.instruments}[instrument_id]


def open_windows(policy: SchedulingPolicy, start: datetime, end: datetime) -> tuple[Period, ...]:
    """The lab's opening hours on each open day whose hours overlap ``[start, end)``, in UTC.

    The windows are whole days' hours (not clipped), so that the slot grid keeps running from each day's opening.
    """
    windows = []
    day = policy.lab_date(start)
    while day <= policy.lab_date(end):
        if policy.is_open(day):
            opens, closes = policy.opening(day)
            if opens < end and start < closes:
                windows.append(Period(opens, closes))
        day += timedelta(days=1)
    return tuple(windows)


def promised_date(policy: SchedulingPolicy, received: datetime, *, urgent: bool) -> date:
    """The day the report is promised for: 7 working days after the sample's receipt (urgent: 5).

    The day of receipt does not count; a working day is a day the lab is open.
    """
    left = URGENT_PROMISE_WORKING_DAYS if urgent else PROMISE_WORKING_DAYS
    day = policy.lab_date(received)
    while left:
        day += timedelta(days=1)
        if policy.is_open(day):
            left -= 1
    return day


def promise_deadline(policy: SchedulingPolicy, day: date) -> datetime:
    """The moment a promise for ``day`` falls due: the lab's closing time that day, in UTC."""
    return policy.opening(day)[1]

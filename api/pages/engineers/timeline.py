"""The week's schedule laid out as a timeline: a row per instrument, a column per day the lab works, and each
reservation placed by its time within the day's opening hours (as percentages the style sheet positions by)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from labsys.bookings.week import InstrumentWeek, LabDay, ScheduledBlock, WeekSchedule

__all__ = ["DayColumn", "Placed", "Timeline", "TimelineRow", "lay_out"]


@dataclass(frozen=True)
class Placed:
    """A reservation on one day's row: where its work starts and how wide it and its setup buffer are, in % of
    the day's opening hours."""

    block: ScheduledBlock
    left: float
    width: float
    buffer: float


@dataclass(frozen=True)
class DayColumn:
    """A day the timeline shows: the lab's hours (None when closed), whether it is today, and its hour count."""

    day: LabDay
    is_today: bool
    hours: int


@dataclass(frozen=True)
class TimelineRow:
    """An instrument and its reservations on each day shown."""

    instrument: InstrumentWeek
    cells: list[list[Placed]]


@dataclass(frozen=True)
class Timeline:
    """The week as the schedule page draws it."""

    monday: date
    columns: list[DayColumn]
    rows: list[TimelineRow]
    reservations: int


def _share(moment: datetime, opens: datetime, span: float) -> float:
    return max(0.0, min(100.0, 100.0 * (moment - opens).total_seconds() / span))


def _place(block: ScheduledBlock, day: LabDay) -> Placed | None:
    if day.opens_at is None or day.closes_at is None:
        return None
    if block.starts_at >= day.closes_at or block.blocked_until <= day.opens_at:
        return None
    span = (day.closes_at - day.opens_at).total_seconds()
    left = _share(block.starts_at, day.opens_at, span)
    end = _share(block.ends_at, day.opens_at, span)
    held = _share(block.blocked_until, day.opens_at, span)
    return Placed(block, left, end - left, held - end)


def _shown(day: LabDay) -> bool:
    """The lab's working days, and a day off (a holiday) that falls on one: the weekly days off are left out."""
    return day.opens_at is not None or not day.weekly_closed


def lay_out(week: WeekSchedule, today: date) -> Timeline:
    """The timeline of ``week``, today marked."""
    days = [d for d in week.days if _shown(d)]
    columns = [
        DayColumn(
            day=d,
            is_today=d.day == today,
            hours=max(1, round((d.closes_at - d.opens_at) / timedelta(hours=1))) if d.opens_at and d.closes_at else 0,
        )
        for d in days
    ]
    rows = [
        TimelineRow(
            instrument=instrument,
            cells=[[p for b in instrument.blocks if (p := _place(b, d)) is not None] for d in days],
        )
        for instrument in week.instruments
    ]
    reservations = len({b.booking_id for i in week.instruments for b in i.blocks})
    return Timeline(week.monday, columns, rows, reservations)

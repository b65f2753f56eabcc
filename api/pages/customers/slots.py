"""The free slots of the coming weeks as a calendar: weeks, their open days, each day's free starts.

The slots come from the booking service's availability (the same call as ``GET /api/availability``), so every slot
offered obeys every booking rule for the viewer's company; this module only groups them by the lab's days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from labsys.bookings.schemas import SlotPublic
from labsys.bookings.service import BookingService
from labsys.companies.accounts import Account

__all__ = ["CALENDAR_DAYS", "SlotCalendar", "SlotDay", "SlotWeek", "slot_calendar"]

#: How far ahead the calendar shows free slots; "earliest" looks as far as the lab takes bookings.
CALENDAR_DAYS = 21


@dataclass(frozen=True)
class SlotDay:
    """A day at the lab and its free starts, earliest first."""

    day: date
    slots: list[SlotPublic]


@dataclass(frozen=True)
class SlotWeek:
    """A lab week (from its Monday) and its days that have a free slot."""

    monday: date
    days: list[SlotDay]

    def holds(self, start: str) -> bool:
        """Whether one of the week's slots starts at ``start`` (ISO 8601, as the form posts it)."""
        return any(slot.start.isoformat() == start for day in self.days for slot in day.slots)


@dataclass(frozen=True)
class SlotCalendar:
    """The free slots of a method over the coming weeks, and which start the form has chosen.

    ``method`` is empty when no method is chosen yet (then there are no weeks); ``selected`` is ``"earliest"`` or
    an ISO 8601 start.
    """

    method: str
    weeks: list[SlotWeek] = field(default_factory=list)
    selected: str = "earliest"

    @property
    def count(self) -> int:
        """How many free slots the calendar shows."""
        return sum(len(day.slots) for week in self.weeks for day in week.days)

    @property
    def checked(self) -> str:
        """The start whose button is checked: the one chosen if the calendar still offers it, else the earliest."""
        return self.selected if any(week.holds(self.selected) for week in self.weeks) else "earliest"

    @property
    def first(self) -> SlotPublic | None:
        """The earliest free slot the calendar shows."""
        return self.weeks[0].days[0].slots[0] if self.weeks else None


def slot_calendar(
    bookings: BookingService, *, method: str, viewer: Account, zone: ZoneInfo, selected: str = "earliest"
) -> SlotCalendar:
    """The free slots of ``method`` for ``viewer`` over the next :data:`CALENDAR_DAYS` days, by lab week and day.

    Raises:
        NotFound: no active method with that code.
    """
    if not method:
        return SlotCalendar(method="", selected=selected)
    until = datetime.now(UTC) + timedelta(days=CALENDAR_DAYS)
    slots = bookings.availability(method, viewer=viewer, end=until)
    days = [
        SlotDay(day, list(group)) for day, group in groupby(slots, key=lambda slot: slot.start.astimezone(zone).date())
    ]
    weeks = [
        SlotWeek(monday, list(group))
        for monday, group in groupby(days, key=lambda day: day.day - timedelta(days=day.day.weekday()))
    ]
    return SlotCalendar(method=method, weeks=weeks, selected=selected)

"""The lab's scheduling policy: opening hours, closed days, notice, advance, quota and the slot grid.

Every time here is timezone-aware. Days, weeks and opening hours are reckoned in the lab's zone (Asia/Seoul);
everything returned is UTC.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from labsys.settings import Settings

__all__ = ["MAX_RESERVATION_SPAN", "SchedulingPolicy", "policy_for"]

#: No reservation is longer than this: it fits within one day's opening hours, and a setup buffer is at most a
#: day. Availability queries use it to bound the reservations they read by their start (an index range scan).
MAX_RESERVATION_SPAN = timedelta(days=2)


@dataclass(frozen=True)
class SchedulingPolicy:
    """The rules of time that every booking and reschedule obeys, read from :class:`~labsys.settings.Settings`."""

    zone: ZoneInfo
    opening_time: time
    closing_time: time
    closed_weekdays: frozenset[int]
    holiday_country: str
    extra_closed_dates: frozenset[date]
    min_notice: timedelta
    max_advance: timedelta
    weekly_quota: int
    grid: timedelta
    _holidays: dict[int, Mapping[date, str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> SchedulingPolicy:
        """The policy the settings describe."""
        return cls(
            zone=settings.zone,
            opening_time=settings.opening_time,
            closing_time=settings.closing_time,
            closed_weekdays=frozenset(settings.closed_weekdays),
            holiday_country=settings.holiday_country,
            extra_closed_dates=frozenset(settings.extra_closed_dates),
            min_notice=timedelta(hours=settings.booking_min_notice_hours),
            max_advance=timedelta(days=settings.booking_max_advance_days),
            weekly_quota=settings.booking_weekly_quota,
            grid=timedelta(minutes=settings.slot_grid_min),
        )

    def holidays_of(self, year: int) -> Mapping[date, str]:
        """The public holidays of ``year`` in the configured country, by name (none if no country is set)."""
        if year not in self._holidays:
            days = holidays.country_holidays(self.holiday_country, years=year) if self.holiday_country else {}
            self._holidays[year] = dict(days)
        return self._holidays[year]

    def is_open(self, day: date) -> bool:
        """Whether the lab opens on ``day`` (a lab-zone date); :meth:`closed_reason` says why not."""
        return (
            day.weekday() not in self.closed_weekdays
            and day not in self.holidays_of(day.year)
            and day not in self.extra_closed_dates
        )

    def closed_reason(self, day: date) -> str | None:
        """Why the lab is closed on ``day`` (a lab-zone date), or None if it is open."""
        if day.weekday() in self.closed_weekdays:
            return f"{day.isoformat()} is a {day.strftime('%A')}"
        holiday = self.holidays_of(day.year).get(day)
        if holiday is not None:
            return f"{day.isoformat()} is a public holiday ({holiday})"
        if day in self.extra_closed_dates:
            return f"the lab is closed on {day.isoformat()}"
        return None

    def lab_date(self, moment: datetime) -> date:
        """The lab-zone calendar date of an aware time."""
        return moment.astimezone(self.zone).date()

    def opening(self, day: date) -> tuple[datetime, datetime]:
        """When the lab opens and closes on ``day``, in UTC."""
        opens = datetime.combine(day, self.opening_time, self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.closing_time, self.zone).astimezone(UTC)
        return opens, closes

    def within_opening_hours(self, start: datetime, end: datetime) -> bool:
        """Whether ``[start, end)`` lies within one day's opening hours."""
        opens, closes = self.opening(self.lab_date(start))
        return opens <= start and end <= closes

    def week_of(self, moment: datetime) -> date:
        """The Monday (lab zone) of the week ``moment`` falls in: the unit of the weekly quota."""
        day = self.lab_date(moment)
        return day - timedelta(days=day.weekday())

    def week_bounds(self, monday: date) -> tuple[datetime, datetime]:
        """The start of the lab week beginning ``monday`` and of the week after, in UTC."""
        start = datetime.combine(monday, time(0), self.zone).astimezone(UTC)
        return start, datetime.combine(monday + timedelta(days=7), time(0), self.zone).astimezone(UTC)

    def earliest_start(self, now: datetime) -> datetime:
        """The earliest start the minimum notice allows."""
        return now + self.min_notice

    def latest_start(self, now: datetime) -> datetime:
        """The latest start the maximum advance allows."""
        return now + self.max_advance

    def grid_starts(self, window_start: datetime, window_end: datetime, duration: timedelta) -> Iterator[datetime]:
        """Every start on the slot grid of an open day within the window whose work ends by closing time.

        The grid runs from each day's opening time in steps of ``grid``; the start lies in
        ``[window_start, window_end)``.
        """
        day = self.lab_date(window_start)
        last_day = self.lab_date(window_end)
        while day <= last_day:
            if self.is_open(day):
                opens, closes = self.opening(day)
                start = opens
                while start + duration <= closes and start < window_end:
                    if start >= window_start:
                        yield start
                    start += self.grid
            day += timedelta(days=1)


@lru_cache(maxsize=16)
def policy_for(settings: Settings) -> SchedulingPolicy:
    """The policy of ``settings``, built once per settings object (so its holiday calendar is computed once)."""
    return SchedulingPolicy.from_settings(settings)

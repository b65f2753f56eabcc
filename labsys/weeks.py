"""Weeks as people name them: an ISO week (``2026-W49``), or any date in it.

The API, the pages, the planner and utilisation all read and write weeks through here.
"""

from __future__ import annotations

import re
from datetime import date

from labsys.errors import InvalidInput

__all__ = ["iso_week", "parse_iso_week", "week_day"]

_ISO_WEEK = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{1,2})$")


def iso_week(day: date) -> str:
    """The ISO week ``day`` falls in: ``2026-W49``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(week: str) -> date:
    """The Monday of an ISO week such as ``2026-W49``.

    Raises:
        ValueError: not an ISO week of that form, or no such week in that year.
    """
    match = _ISO_WEEK.match(week)
    if match is None:
        raise ValueError(f"{week!r} is not an ISO week such as 2026-W49")
    try:
        return date.fromisocalendar(int(match["year"]), int(match["week"]), 1)
    except ValueError:
        raise ValueError(f"{match['year']} has no week {int(match['week'])}") from None


def week_day(week: str | None, today: date) -> date:
    """A day of the week asked for: ``2026-W49`` (its Monday), ``2026-12-07`` (any day of it), or today.

    Raises:
        InvalidInput: neither form, or no such week or date.
    """
    if not week:
        return today
    try:
        return parse_iso_week(week) if _ISO_WEEK.match(week) else date.fromisoformat(week)
    except ValueError as exc:
        raise InvalidInput("week", f"{week!r} is no week: write 2026-W49 or a date such as 2026-12-07") from exc

"""Weeks as pages and the API name them in a query: an ISO week (``2026-W49``) or any date in it."""

from __future__ import annotations

import re
from datetime import date

from labsys.errors import InvalidInput

__all__ = ["iso_week", "week_day"]

_ISO_WEEK = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{1,2})$")


def week_day(week: str | None, today: date) -> date:
    """A day of the week a page asks for: ``2026-W49`` (ISO week), ``2026-12-07`` (any day of it), or today.

    Raises:
        InvalidInput: neither form, or no such week or date.
    """
    if not week:
        return today
    iso = _ISO_WEEK.match(week)
    try:
        if iso:
            return date.fromisocalendar(int(iso["year"]), int(iso["week"]), 1)
        return date.fromisoformat(week)
    except ValueError as exc:
        raise InvalidInput("week", f"{week!r} is no week: write 2026-W49 or a date such as 2026-12-07") from exc


def iso_week(day: date) -> str:
    """The ISO week ``day`` falls in, as the schedule's links name it: ``2026-W49``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"

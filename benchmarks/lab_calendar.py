"""The lab's calendar as a customer sees it through ``GET /api/availability``, and a plan to fill it.

The benchmark never computes opening hours, holidays or notice itself: it asks the lab for the free starts of
every method, month by month over the booking horizon, then packs them so that every start it keeps can be booked
together with all the others (an instrument is free again after the booking's end plus its setup buffer).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

__all__ = [
    "MAX_WINDOW",
    "CalendarPlan",
    "FreeStart",
    "free_starts",
    "horizon_windows",
    "pack",
    "plan_calendar",
    "shuffled",
]

#: The longest window ``GET /api/availability`` answers for.
MAX_WINDOW = timedelta(days=31)


@dataclass(frozen=True, order=True)
class FreeStart:
    """A start at which ``method`` can be booked, on these instruments, until ``end``."""

    start: datetime
    method: str
    instruments: tuple[str, ...]
    end: datetime


@dataclass(frozen=True)
class CalendarPlan:
    """Which starts the benchmark books to grow the lab, and which it leaves free for bookings under load."""

    grown: list[FreeStart]  # booked while growing the lab; includes ``full_month``
    full_month: list[FreeStart]  # every start of the fully booked month
    free: list[FreeStart]  # left free, spread over methods and the horizon
    full_window: tuple[datetime, datetime]


def horizon_windows(now: datetime, days: int) -> list[tuple[datetime, datetime]]:
    """Consecutive windows of at most 31 days from ``now`` to ``days`` ahead (plus a day for the last slots)."""
    end = now + timedelta(days=days + 1)
    windows, start = [], now
    while start < end:
        windows.append((start, min(start + MAX_WINDOW, end)))
        start += MAX_WINDOW
    return windows


def free_starts(client: httpx.Client, method: str, window: tuple[datetime, datetime]) -> list[FreeStart]:
    """Every free start of ``method`` in ``window``, as the lab answers it."""
    params = {"method": method, "start": window[0].isoformat(), "end": window[1].isoformat()}
    response = client.get("/api/availability", params=params)
    response.raise_for_status()
    return [
        FreeStart(
            datetime.fromisoformat(slot["start"]).astimezone(UTC),
            method,
            tuple(slot["instruments"]),
            datetime.fromisoformat(slot["end"]).astimezone(UTC),
        )
        for slot in response.json()
    ]


def pack(starts: Sequence[FreeStart], setup_buffers: dict[str, timedelta]) -> list[FreeStart]:
    """The earliest starts that can all be booked together: each instrument free again after end plus setup."""
    busy_until: dict[str, datetime] = {}
    packed = []
    for free in sorted(starts):
        if all(free.start >= busy_until.get(tag, free.start) for tag in free.instruments):
            packed.append(free)
            for tag in free.instruments:
                busy_until[tag] = free.end + setup_buffers[tag]
    return packed


def _spread(starts: list[FreeStart], count: int) -> tuple[list[FreeStart], list[FreeStart]]:
    """``count`` starts evenly spaced over ``starts`` (in time order), and the others."""
    chosen = {round(n * len(starts) / count) for n in range(count)} if count else set()
    return [s for i, s in enumerate(starts) if i in chosen], [s for i, s in enumerate(starts) if i not in chosen]


def plan_calendar(
    packed: list[FreeStart], *, bookings: int, full_method: str, full_window: tuple[datetime, datetime]
) -> CalendarPlan:
    """Book every start of ``full_method`` in ``full_window``, and the rest of ``bookings`` spread over the others.

    Raises:
        SystemExit: the lab has fewer free starts than bookings asked for, or fewer bookings than the full month.
    """
    full_month = [s for s in packed if s.method == full_method and full_window[0] <= s.start < full_window[1]]
    others = [s for s in packed if not (s.method == full_method and full_window[0] <= s.start < full_window[1])]
    if not full_month or not len(full_month) <= bookings <= len(packed):
        raise SystemExit(
            f"cannot grow the lab to {bookings} bookings with {full_method} fully booked for a month: the lab has "
            f"{len(packed)} free starts, {len(full_month)} of them {full_method} in the first month"
        )
    spread, free = _spread(others, bookings - len(full_month))
    return CalendarPlan(full_month + spread, full_month, free, full_window)


def shuffled(starts: Sequence[FreeStart], seed: int) -> list[FreeStart]:
    """The starts in a fixed random order: customers book all over the calendar, not in its order."""
    return random.Random(seed).sample(list(starts), len(starts))

"""Busy instrument time held in memory: what the database holds for a window, and what a batch holds beside it.

:class:`Occupancy` is the schedule the rules check a start against; :class:`HeldTime` is what the bookings of a
batch judged but not yet written take, added to every schedule read while they are (see
:mod:`labsys.bookings.batch`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

__all__ = ["HeldTime", "Occupancy", "Remember"]

T = TypeVar("T")


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

    def insert(self, instrument_id: int, start: datetime, blocked_until: datetime) -> None:
        """Add a busy interval in its place among those already added."""
        starts = self.starts[instrument_id]
        at = bisect_left(starts, start)
        starts.insert(at, start)
        self.ends[instrument_id].insert(at, blocked_until)

    def is_free(self, instrument_id: int, start: datetime, blocked_until: datetime) -> bool:
        """Whether the instrument is free over ``[start, blocked_until)``."""
        starts = self.starts.get(instrument_id)
        if not starts:
            return True
        before = bisect_left(starts, blocked_until)  # intervals [0, before) start before we end
        return before == 0 or self.ends[instrument_id][before - 1] <= start


@dataclass
class HeldTime:
    """Instrument time held, and bookings counted, by bookings judged in this transaction but not yet written.

    A batch of bookings is judged one after another and written together: each is judged against what the
    database holds plus what the batch's earlier bookings took (see :func:`load_context`).
    """

    intervals: list[tuple[int, datetime, datetime]] = field(default_factory=list)
    bookings_per_week: Counter[tuple[int, date]] = field(default_factory=Counter)
    reads: dict[Hashable, Any] = field(default_factory=dict)

    def remember(self, key: Hashable, read: Callable[[], T]) -> T:
        """What ``read()`` gave the first time ``key`` was asked for since the held time was last written.

        The schedule read from the database cannot change until then: this transaction holds the write lock,
        and its own bookings are added from :attr:`intervals` and :attr:`bookings_per_week`.
        """
        if key not in self.reads:
            self.reads[key] = read()
        result: T = self.reads[key]
        return result

    def hold(self, *, company_id: int, week: date, intervals: Sequence[tuple[int, datetime, datetime]]) -> None:
        """Count a booking of ``company_id`` in ``week`` holding ``(instrument_id, start, blocked_until)`` each."""
        self.intervals.extend(intervals)
        self.bookings_per_week[company_id, week] += 1

    def add_to(
        self,
        occupancy: Occupancy,
        per_week: dict[date, int],
        *,
        ids: set[int],
        since: datetime,
        until: datetime,
        company_id: int | None,
    ) -> None:
        """Add what is held of instruments ``ids`` within ``[since, until)``, and counted for ``company_id``, to
        what was read from the database."""
        for instrument_id, start, blocked_until in self.intervals:
            if instrument_id in ids and start < until and blocked_until > since:
                occupancy.insert(instrument_id, start, blocked_until)
        if company_id is not None:
            for week in per_week:
                per_week[week] += self.bookings_per_week[company_id, week]

    def clear(self) -> None:
        """Forget everything held, and what was read beside it: it has been written."""
        self.intervals.clear()
        self.bookings_per_week.clear()
        self.reads.clear()


class Remember(Protocol):
    """Reads the database, or gives what an earlier read with the same key gave (see :meth:`HeldTime.remember`)."""

    def __call__(self, key: Hashable, read: Callable[[], T], /) -> T:
        """What ``read()`` gives, or gave for ``key``."""

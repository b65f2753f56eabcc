"""Utilisation figures: per instrument and lab week, the hours booked, used and down; per company, booked and used.

The figures are computed from plain intervals, so the same arithmetic serves the page, the CSV export and a test
that counts by hand. A week is a lab week (Monday to Sunday in the lab's zone). Booked and used hours are the
reservations' booked span and the runs' actual span, cut at the week's edges. Downtime counts only within the
lab's opening hours, since a block over a weekend takes no bookable time away; overlapping blocks count once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from labsys.scheduling.policy import SchedulingPolicy

__all__ = ["CompanyWeek", "InstrumentWeek", "Span", "Use", "Utilisation", "compute"]

_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Span:
    """A half-open stretch of time ``[start, end)``, aware UTC."""

    start: datetime
    end: datetime

    def overlap(self, other: Span) -> timedelta:
        """How long this span and ``other`` share."""
        return max(timedelta(0), min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True)
class Use:
    """One reservation: the instrument it held, the company that booked it, the booked span and the used one."""

    instrument_id: int
    company_id: int
    booked: Span
    used: Span | None


@dataclass(frozen=True)
class InstrumentWeek:
    """One instrument's week, in hours."""

    instrument_id: int
    week: date
    open_hours: float
    booked_hours: float
    used_hours: float
    downtime_hours: float

    @property
    def available_hours(self) -> float:
        """Opening hours less downtime: the time the instrument could have been booked."""
        return max(0.0, self.open_hours - self.downtime_hours)

    @property
    def booked_share(self) -> float | None:
        """Booked hours over available hours (None when nothing was available)."""
        return self.booked_hours / self.available_hours if self.available_hours else None

    @property
    def used_share(self) -> float | None:
        """Used hours over available hours (None when nothing was available)."""
        return self.used_hours / self.available_hours if self.available_hours else None


@dataclass(frozen=True)
class CompanyWeek:
    """One company's use of the lab in one week, in hours, over every instrument."""

    company_id: int
    week: date
    booked_hours: float
    used_hours: float


@dataclass(frozen=True)
class Utilisation:
    """The figures of a run of weeks: by instrument and week, and by company and week."""

    weeks: tuple[date, ...]
    instruments: tuple[InstrumentWeek, ...]
    companies: tuple[CompanyWeek, ...]


def compute(
    policy: SchedulingPolicy,
    weeks: Sequence[date],
    instrument_ids: Iterable[int],
    uses: Iterable[Use],
    downtime: Iterable[tuple[int, Span]],
) -> Utilisation:
    """The utilisation of ``instrument_ids`` over the lab weeks beginning on the Mondays ``weeks``.

    ``downtime`` pairs an instrument id with a block. Every instrument gets a row for every week, idle or not;
    a company gets a row for a week it booked in.
    """
    week_spans = {monday: Span(*policy.week_bounds(monday)) for monday in weeks}
    open_windows = {monday: _open_windows(policy, monday) for monday in weeks}
    booked: dict[tuple[int, date], timedelta] = defaultdict(timedelta)
    used: dict[tuple[int, date], timedelta] = defaultdict(timedelta)
    company_booked: dict[tuple[int, date], timedelta] = defaultdict(timedelta)
    company_used: dict[tuple[int, date], timedelta] = defaultdict(timedelta)
    for use in uses:
        for monday, span in week_spans.items():
            hours = use.booked.overlap(span)
            worked = use.used.overlap(span) if use.used is not None else timedelta(0)
            if hours or worked:
                booked[use.instrument_id, monday] += hours
                used[use.instrument_id, monday] += worked
                company_booked[use.company_id, monday] += hours
                company_used[use.company_id, monday] += worked
    blocks: dict[int, list[Span]] = defaultdict(list)
    for instrument_id, block in downtime:
        blocks[instrument_id].append(block)
    rows = [
        InstrumentWeek(
            instrument_id=instrument_id,
            week=monday,
            open_hours=sum((w.end - w.start for w in open_windows[monday]), timedelta(0)) / _HOUR,
            booked_hours=booked[instrument_id, monday] / _HOUR,
            used_hours=used[instrument_id, monday] / _HOUR,
            downtime_hours=_covered(_union(blocks[instrument_id]), open_windows[monday]) / _HOUR,
        )
        for instrument_id in sorted(set(instrument_ids))
        for monday in weeks
    ]
    companies = [
        CompanyWeek(company_id, monday, hours / _HOUR, company_used[company_id, monday] / _HOUR)
        for (company_id, monday), hours in sorted(company_booked.items())
    ]
    return Utilisation(tuple(weeks), tuple(rows), tuple(companies))


def _open_windows(policy: SchedulingPolicy, monday: date) -> list[Span]:
    days = (monday + timedelta(days=offset) for offset in range(7))
    return [Span(*policy.opening(day)) for day in days if policy.is_open(day)]


def _union(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


def _covered(blocks: list[Span], windows: list[Span]) -> timedelta:
    return sum((block.overlap(window) for block in blocks for window in windows), timedelta(0))

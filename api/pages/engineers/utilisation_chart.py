"""The utilisation page's figures laid out for drawing: the lab's weeks as bars of an SVG chart (coordinates in
the chart's own units), and each instrument's and company's hours summed over the weeks shown."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from labsys.utilisation.schemas import UtilisationPublic, share

__all__ = [
    "CHART_HEIGHT",
    "Bar",
    "ChartWeek",
    "CompanyTotal",
    "InstrumentTotal",
    "chart",
    "per_company",
    "per_instrument",
]

#: The chart's plot height and one week's width, in SVG units.
CHART_HEIGHT = 160
WEEK_WIDTH = 90
_BAR_WIDTH = 22
_SERIES = ("booked", "used", "downtime")


@dataclass(frozen=True)
class Bar:
    """One bar: which series, its hours, and where it stands."""

    series: str
    hours: float
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class ChartWeek:
    """A week's group of bars and where its label goes."""

    week: str
    label_x: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class InstrumentTotal:
    """An instrument's hours over the weeks shown, and its booked and used shares of the available hours."""

    asset_tag: str
    kind: str
    available_hours: float
    downtime_hours: float
    booked_hours: float
    used_hours: float
    booked_share: float | None
    used_share: float | None


@dataclass(frozen=True)
class CompanyTotal:
    """A company's hours over the weeks shown."""

    company: str
    booked_hours: float
    used_hours: float

    @property
    def used_of_booked(self) -> float | None:
        """Used hours over booked hours (None when nothing was booked)."""
        return share(self.used_hours, self.booked_hours)


def chart(figures: UtilisationPublic) -> tuple[float, list[ChartWeek]]:
    """The chart's top (hours at full height: the most open hours of a week, or more if a bar is taller) and its
    weeks."""
    top = max((max(w.open_hours, w.booked_hours, w.used_hours, w.downtime_hours) for w in figures.lab), default=0.0)
    scale = CHART_HEIGHT / top if top else 0.0
    weeks = []
    for index, week in enumerate(figures.lab):
        left = index * WEEK_WIDTH + (WEEK_WIDTH - len(_SERIES) * _BAR_WIDTH) / 2
        hours = {"booked": week.booked_hours, "used": week.used_hours, "downtime": week.downtime_hours}
        bars = tuple(
            Bar(name, hours[name], left + n * _BAR_WIDTH, CHART_HEIGHT - hours[name] * scale, hours[name] * scale)
            for n, name in enumerate(_SERIES)
        )
        weeks.append(ChartWeek(week.week, index * WEEK_WIDTH + WEEK_WIDTH / 2, bars))
    return top, weeks


def per_instrument(figures: UtilisationPublic) -> list[InstrumentTotal]:
    """Each instrument's hours summed over the weeks, by asset tag."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for row in figures.instruments:
        total = sums[row.asset_tag, row.kind]
        for n, hours in enumerate((row.available_hours, row.downtime_hours, row.booked_hours, row.used_hours)):
            total[n] += hours
    return [
        InstrumentTotal(
            tag,
            kind,
            round(available, 2),
            round(down, 2),
            round(booked, 2),
            round(used, 2),
            share(booked, available),
            share(used, available),
        )
        for (tag, kind), (available, down, booked, used) in sorted(sums.items())
    ]


def per_company(figures: UtilisationPublic) -> list[CompanyTotal]:
    """Each company's hours summed over the weeks, most booked first."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in figures.companies:
        sums[row.company][0] += row.booked_hours
        sums[row.company][1] += row.used_hours
    totals = [CompanyTotal(name, round(booked, 2), round(used, 2)) for name, (booked, used) in sums.items()]
    return sorted(totals, key=lambda c: (-c.booked_hours, c.company))

"""Utilisation figures against counts made by hand: one week written out, and a generated month counted minute by
minute."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from labsys.scheduling import SchedulingPolicy
from labsys.utilisation.figures import Span, Use, compute

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def policy() -> SchedulingPolicy:
    """09:00-18:00 Seoul, weekdays except Korean public holidays."""
    return SchedulingPolicy(
        zone=SEOUL,
        opening_time=time(9),
        closing_time=time(18),
        closed_weekdays=frozenset({5, 6}),
        holiday_country="KR",
        extra_closed_dates=frozenset(),
        min_notice=timedelta(hours=24),
        max_advance=timedelta(days=90),
        weekly_quota=10,
        grid=timedelta(minutes=30),
    )


def seoul(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SEOUL).astimezone(UTC)


def test_one_week_counted_by_hand(policy: SchedulingPolicy) -> None:
    monday = date(2026, 3, 9)
    tuesday, wednesday, saturday = (monday + timedelta(days=n) for n in (1, 2, 5))
    uses = [
        Use(1, 7, Span(seoul(tuesday, 10), seoul(tuesday, 13)), Span(seoul(tuesday, 10, 15), seoul(tuesday, 12))),
        Use(1, 8, Span(seoul(wednesday, 14), seoul(wednesday, 16)), None),  # a no-show
        Use(2, 7, Span(seoul(tuesday, 9), seoul(tuesday, 11)), Span(seoul(tuesday, 9), seoul(tuesday, 10, 30))),
    ]
    downtime = [
        (1, Span(seoul(wednesday, 8), seoul(wednesday, 12))),  # 3 h of it within opening hours
        (1, Span(seoul(wednesday, 11), seoul(wednesday, 13))),  # overlaps the first: 1 more hour
        (1, Span(seoul(saturday, 0), seoul(saturday + timedelta(days=1), 0))),  # the lab is closed anyway
    ]

    figures = compute(policy, [monday], [1, 2], uses, downtime)

    first, second = figures.instruments
    assert (first.open_hours, first.booked_hours, first.used_hours, first.downtime_hours) == (45, 5, 1.75, 4)
    assert first.available_hours == 41
    assert first.booked_share == pytest.approx(5 / 41)
    assert (second.booked_hours, second.used_hours, second.downtime_hours) == (2, 1.5, 0)
    by_company = {c.company_id: (c.booked_hours, c.used_hours) for c in figures.companies}
    assert by_company == {7: (5, 3.25), 8: (2, 0)}


def test_a_holiday_takes_its_hours_out_of_the_week(policy: SchedulingPolicy) -> None:
    # 2026-03-02 is the substitute holiday for 삼일절, which fell on a Sunday.
    figures = compute(policy, [date(2026, 3, 2)], [1], [], [])

    assert figures.instruments[0].open_hours == 36


def test_a_generated_month_matches_a_count_minute_by_minute(policy: SchedulingPolicy) -> None:
    draw = random.Random(20261202)  # noqa: S311 - a reproducible workload, not a secret
    weeks = [date(2026, 3, 2) + timedelta(weeks=n) for n in range(5)]
    start, end = policy.week_bounds(weeks[0])[0], policy.week_bounds(weeks[-1])[1]
    minutes = int((end - start) / timedelta(minutes=1))

    def drawn_span(longest: int) -> Span:
        first = start + timedelta(minutes=draw.randrange(minutes - longest))
        return Span(first, first + timedelta(minutes=draw.randrange(15, longest)))

    uses = []
    for _ in range(120):
        booked = drawn_span(600)
        used = None
        if draw.random() < 0.8:
            used = Span(booked.start + timedelta(minutes=draw.randrange(30)), booked.end - timedelta(minutes=5))
        uses.append(Use(draw.randrange(1, 4), draw.randrange(1, 5), booked, used))
    downtime = [(draw.randrange(1, 4), drawn_span(3000)) for _ in range(8)]

    figures = compute(policy, weeks, [1, 2, 3], uses, downtime)

    counted: dict[tuple[str, int, date], int] = {}
    for n in range(minutes):
        moment = start + timedelta(minutes=n)
        week = policy.week_of(moment)
        minute = moment + timedelta(minutes=1)
        is_open = policy.is_open(policy.lab_date(moment)) and policy.within_opening_hours(moment, minute)
        for instrument in (1, 2, 3):
            counted[("open", instrument, week)] = counted.get(("open", instrument, week), 0) + is_open
            down = any(i == instrument and b.start <= moment < b.end for i, b in downtime)
            counted[("down", instrument, week)] = counted.get(("down", instrument, week), 0) + (down and is_open)
        for use in uses:
            if use.booked.start <= moment < use.booked.end:
                key = ("booked", use.instrument_id, week)
                counted[key] = counted.get(key, 0) + 1
                key = ("company booked", use.company_id, week)
                counted[key] = counted.get(key, 0) + 1
            if use.used is not None and use.used.start <= moment < use.used.end:
                key = ("used", use.instrument_id, week)
                counted[key] = counted.get(key, 0) + 1
    assert len(figures.instruments) == 3 * len(weeks)
    for row in figures.instruments:
        assert row.open_hours * 60 == counted[("open", row.instrument_id, row.week)]
        assert row.downtime_hours * 60 == pytest.approx(counted[("down", row.instrument_id, row.week)])
        assert row.booked_hours * 60 == pytest.approx(counted.get(("booked", row.instrument_id, row.week), 0))
        assert row.used_hours * 60 == pytest.approx(counted.get(("used", row.instrument_id, row.week), 0))
    assert sum(row.downtime_hours for row in figures.instruments) > 0
    for company in figures.companies:
        assert company.booked_hours * 60 == pytest.approx(counted[("company booked", company.company_id, company.week)])

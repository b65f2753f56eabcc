"""The lab's calendar: closed on weekends and Korean public holidays (configurable), open 09:00-18:00 in Seoul."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from labsys.bookings.models import Urgency
from labsys.bookings.pricing import quote_for, report_due
from labsys.scheduling import SchedulingPolicy
from labsys.settings import load_settings
from tests.labsys.scheduling.support import kst

pytestmark = pytest.mark.unit


def _policy(**overrides: object) -> SchedulingPolicy:
    return SchedulingPolicy.from_settings(load_settings(**overrides))


@pytest.mark.parametrize(
    "day",
    [date(2026, 9, 25), date(2026, 10, 5), date(2026, 12, 25), date(2027, 2, 8), date(2027, 2, 9), date(2027, 9, 15)],
    ids=[
        "Chuseok 2026",
        "alternative holiday 2026",
        "Christmas 2026",
        "Seollal 2027",
        "alternative Seollal 2027",
        "Chuseok 2027",
    ],
)
def test_korean_public_holidays_of_2026_and_2027_close_the_lab(day: date) -> None:
    reason = _policy().closed_reason(day)
    assert reason is not None
    assert "public holiday" in reason


def test_weekends_close_the_lab_and_an_ordinary_weekday_is_open() -> None:
    policy = _policy()
    assert policy.closed_reason(date(2026, 12, 5)) == "2026-12-05 is a Saturday"
    assert policy.closed_reason(date(2026, 12, 2)) is None


def test_the_closed_days_are_configurable() -> None:
    policy = _policy(holiday_country="", closed_weekdays={6}, extra_closed_dates={date(2026, 12, 2)})
    assert policy.closed_reason(date(2026, 12, 25)) is None  # no holiday calendar
    assert policy.closed_reason(date(2026, 12, 5)) is None  # Saturdays open
    assert policy.closed_reason(date(2026, 12, 6)) is not None
    assert policy.closed_reason(date(2026, 12, 2)) == "the lab is closed on 2026-12-02"


@pytest.mark.parametrize(
    "overrides", [{}, {"holiday_country": "", "closed_weekdays": {6}, "extra_closed_dates": {date(2026, 12, 2)}}]
)
def test_a_day_is_open_exactly_when_no_reason_closes_it(overrides: dict[str, object]) -> None:
    policy = _policy(**overrides)
    days = [date(2026, 9, 1) + timedelta(days=n) for n in range(500)]
    assert [policy.is_open(day) for day in days] == [policy.closed_reason(day) is None for day in days]
    assert not all(policy.is_open(day) for day in days)


def test_settings_refuse_opening_after_closing() -> None:
    from labsys.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="opening_time"):
        load_settings(opening_time=time(18), closing_time=time(9))


def test_the_grid_runs_from_opening_in_half_hours_and_keeps_the_work_within_opening_hours() -> None:
    policy = _policy(opening_time=time(8, 30), closing_time=time(12))
    starts = list(policy.grid_starts(kst(2026, 12, 4, 0), kst(2026, 12, 8, 0), timedelta(minutes=90)))
    friday = [
        kst(2026, 12, 4, 8, 30),
        kst(2026, 12, 4, 9),
        kst(2026, 12, 4, 9, 30),
        kst(2026, 12, 4, 10),
        kst(2026, 12, 4, 10, 30),
    ]
    monday = [kst(2026, 12, 7, 8, 30) + timedelta(minutes=30 * n) for n in range(5)]
    assert starts == friday + monday


def test_a_lab_week_starts_on_monday_in_seoul() -> None:
    policy = _policy()
    assert policy.week_of(kst(2026, 12, 7, 0, 30)) == date(2026, 12, 7)  # Sunday 15:30 UTC, Monday in Seoul
    assert policy.week_of(kst(2026, 12, 13, 23)) == date(2026, 12, 7)


def test_an_urgent_quote_is_one_and_a_half_times_the_fee_for_the_total_quantity() -> None:
    assert quote_for(unit_fee_krw=150_000, quantity=3, urgency=Urgency.STANDARD).fee_krw == 450_000
    assert quote_for(unit_fee_krw=150_000, quantity=3, urgency=Urgency.URGENT).fee_krw == 675_000
    assert quote_for(unit_fee_krw=33_333, quantity=1, urgency=Urgency.URGENT).fee_krw == 50_000  # 49,999.5 rounded up


def test_the_report_is_due_after_the_turnaround_in_working_days_and_sooner_when_urgent() -> None:
    policy = _policy()
    # Work ends on Tuesday 22 December; Christmas, the weekend and New Year's Day are not working days.
    work_ends = kst(2026, 12, 22, 15)
    assert report_due(policy=policy, work_ends=work_ends, turnaround_days=7, urgency=Urgency.STANDARD) == date(
        2027, 1, 4
    )
    assert report_due(policy=policy, work_ends=work_ends, turnaround_days=7, urgency=Urgency.URGENT) == date(
        2026, 12, 29
    )  # four working days: half of seven, rounded up

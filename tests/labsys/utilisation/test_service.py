"""Utilisation read from the database: a generated month of reservations, runs, no-shows, cancellations and
downtime, against a count made minute by minute from what was written."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session

from labsys.audit import Actor
from labsys.bookings.no_show import release_no_shows
from labsys.bookings.steps import reschedule_booking
from labsys.companies.accounts import Account
from labsys.errors import InvalidInput, PermissionDenied
from labsys.scheduling import policy_for
from labsys.services import LabServices
from labsys.settings import Settings
from tests.factories import Lab
from tests.labsys.runs.real_use import booked_and_received
from tests.labsys.scheduling.support import NOW, kst
from tests.labsys.utilisation.month import FIRST_MONDAY, WEEKS, Month, generate_month

pytestmark = pytest.mark.integration

_MINUTE = timedelta(minutes=1)


def _hand_count(month: Month, settings: Settings) -> Counter[tuple[str, str, date]]:
    """Minutes per (what, instrument or company, Monday), counted one minute at a time."""
    policy = policy_for(settings)
    first, last = policy.week_bounds(FIRST_MONDAY)[0], policy.week_bounds(FIRST_MONDAY + timedelta(weeks=WEEKS))[0]
    counted: Counter[tuple[str, str, date]] = Counter()
    down: set[tuple[str, object]] = set()  # blocks may overlap: a minute down counts once

    def _open(moment: datetime) -> bool:
        return policy.is_open(policy.lab_date(moment)) and policy.within_opening_hours(moment, moment + _MINUTE)

    for stretch in month.counted:
        moment = stretch.start
        while moment < stretch.end:
            if first <= moment < last:
                week = policy.week_of(moment)
                if stretch.kind != "down":
                    counted[stretch.kind, stretch.asset_tag, week] += 1
                    counted[f"company {stretch.kind}", stretch.company or "", week] += 1
                elif (stretch.asset_tag, moment) not in down and _open(moment):
                    down.add((stretch.asset_tag, moment))
                    counted["down", stretch.asset_tag, week] += 1
            moment += _MINUTE
    return counted


def test_a_generated_month_matches_a_count_made_by_hand(
    session: Session, lab: Lab, services: LabServices, settings: Settings
) -> None:
    month = generate_month(session, lab)
    counted = _hand_count(month, settings)
    assert len(month.fates) == 9, month.fates  # every fate a reservation can meet is in the month

    figures = services.utilisation.weeks(FIRST_MONDAY + timedelta(days=2), WEEKS, viewer=Account.of(lab.engineer))

    assert figures.first_week == "2026-W10"
    assert [w.week for w in figures.lab] == ["2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]
    assert len(figures.instruments) == len(lab.instruments) * WEEKS  # every instrument, idle or not, every week
    for row in figures.instruments:
        assert row.open_hours == (36 if row.monday == FIRST_MONDAY else 45)  # 9 h a day; 2026-03-02 a holiday
        assert row.booked_hours * 60 == pytest.approx(counted["booked", row.asset_tag, row.monday], abs=0.6)
        assert row.used_hours * 60 == pytest.approx(counted["used", row.asset_tag, row.monday], abs=0.6)
        assert row.downtime_hours * 60 == pytest.approx(counted["down", row.asset_tag, row.monday], abs=0.6)
        assert row.available_hours == pytest.approx(row.open_hours - row.downtime_hours)
    by_company = {(c.company, c.monday): (c.booked_hours, c.used_hours) for c in figures.companies}
    assert {name for name, _ in by_company} == {lab.company.name, lab.other_company.name}
    for (name, monday), (booked, used) in by_company.items():
        assert booked * 60 == pytest.approx(counted["company booked", name, monday], abs=0.6)
        assert used * 60 == pytest.approx(counted["company used", name, monday], abs=0.6)
    for week in figures.lab:
        rows = [r for r in figures.instruments if r.monday == week.monday]
        assert week.booked_hours == pytest.approx(sum(r.booked_hours for r in rows), abs=0.05)
        assert week.used_share == pytest.approx(week.used_hours / week.available_hours, abs=1e-4)
    smu_week_one = next(r for r in figures.instruments if (r.asset_tag, r.monday) == ("SMU-01", FIRST_MONDAY))
    assert smu_week_one.downtime_hours == 11  # Thursday 13-18 and Friday 09-15, overlapping blocks counted once
    assert sum(r.used_hours for r in figures.instruments) < sum(r.booked_hours for r in figures.instruments)


def _smu_week(services: LabServices, lab: Lab, monday: date) -> tuple[float, float]:
    """SMU-01's booked and used hours in the week beginning ``monday``."""
    figures = services.utilisation.weeks(monday, 1, viewer=Account.of(lab.engineer))
    row = next(r for r in figures.instruments if r.asset_tag == "SMU-01")
    return row.booked_hours, row.used_hours


def test_a_no_show_later_rescheduled_still_counts_its_wasted_slot(
    session: Session, lab: Lab, services: LabServices, settings: Settings
) -> None:
    policy = policy_for(settings)
    slot = kst(2026, 12, 2, 10)  # a Wednesday, an hour of DIODE-IV on SMU-01
    booking, _ = booked_and_received(session, lab, slot, policy)
    assert release_no_shows(session=session, now=slot + timedelta(hours=1), grace=timedelta(hours=1)) == [booking.id]
    reschedule_booking(
        session=session, booking_id=booking.id or 0, start=kst(2026, 12, 9, 10), company_id=None,
        actor=Actor(lab.engineer.email, lab.engineer.id), policy=policy, now=NOW,
    )  # fmt: skip
    session.commit()

    assert _smu_week(services, lab, date(2026, 11, 30)) == (1, 0)  # the wasted hour: held, and nobody came
    assert _smu_week(services, lab, date(2026, 12, 7)) == (1, 0)  # the new slot, booked and not yet used


def test_a_customer_may_not_see_the_labs_utilisation(lab: Lab, services: LabServices) -> None:
    with pytest.raises(PermissionDenied):
        services.utilisation.weeks(FIRST_MONDAY, 1, viewer=Account.of(lab.customer))


@pytest.mark.parametrize("weeks", [0, 27])
def test_weeks_outside_one_to_twenty_six_are_refused(lab: Lab, services: LabServices, weeks: int) -> None:
    with pytest.raises(InvalidInput, match="weeks must be 1 to 26"):
        services.utilisation.weeks(FIRST_MONDAY, weeks, viewer=Account.of(lab.engineer))

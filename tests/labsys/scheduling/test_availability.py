"""Availability offers exactly the slots a booking would get: on the grid, in opening hours, all instruments free."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from labsys.methods.models import TestMethod
from labsys.scheduling import SchedulingPolicy, find_slots, first_slot
from labsys.scheduling.rules import Slot
from tests.factories import Lab, another_engineer, make_instrument
from tests.labsys.scheduling.support import NOW, book, kst, quota_of

pytestmark = pytest.mark.integration


def _slots(session: Session, lab: Lab, policy: SchedulingPolicy, code: str, day: int) -> list[Slot]:
    return find_slots(
        session=session,
        method=lab.methods[code],
        policy=policy,
        now=NOW,
        start=kst(2026, 12, day, 0),
        end=kst(2026, 12, day + 1, 0),
        quota=quota_of(session, lab.customer, policy),
    )


def test_an_empty_day_offers_every_grid_start_whose_work_ends_by_closing_time(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    slots = _slots(session, lab, policy, "DIODE-IV", 2)
    assert [s.start for s in slots] == [kst(2026, 12, 2, 9) + timedelta(minutes=30 * n) for n in range(17)]
    assert slots[-1].end == kst(2026, 12, 2, 18)
    assert {tuple(i.asset_tag for i in s.instruments) for s in slots} == {("SMU-01",)}


def test_a_booked_slot_and_its_setup_buffer_are_not_offered(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    book(session, lab, kst(2026, 12, 2, 10), policy=policy)
    starts = [s.start for s in _slots(session, lab, policy, "DIODE-IV", 2)]
    # 09:00-10:00 would leave its own setup buffer running into the 10:00 booking.
    assert not {
        kst(2026, 12, 2, 9),
        kst(2026, 12, 2, 9, 30),
        kst(2026, 12, 2, 10),
        kst(2026, 12, 2, 10, 30),
        kst(2026, 12, 2, 11),
    } & set(starts)
    assert kst(2026, 12, 2, 11, 30) in starts  # after 11:00 plus 15 minutes' setup


def test_a_second_instrument_of_a_kind_is_offered_when_the_first_is_taken(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    make_instrument(session, "smu", "SMU-02")
    another_engineer(session, lab)
    book(session, lab, kst(2026, 12, 2, 10), policy=policy)
    at_ten = next(s for s in _slots(session, lab, policy, "DIODE-IV", 2) if s.start == kst(2026, 12, 2, 10))
    assert [i.asset_tag for i in at_ten.instruments] == ["SMU-02"]


def test_a_two_kind_method_is_offered_only_when_both_instruments_are_free_together(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    # The thermal method holds the temperature controller 10:00-11:30; the DMM stays free.
    book(session, lab, kst(2026, 12, 2, 10), policy=policy, code="RES-4W-TCR")
    starts = {s.start for s in _slots(session, lab, policy, "RES-4W-TCR", 2)}
    assert kst(2026, 12, 2, 11) not in starts
    assert kst(2026, 12, 2, 12) in starts  # 11:30 + 15 min buffer: the 12:00 grid start is the first


def test_weekends_holidays_and_the_minimum_notice_offer_nothing(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    assert _slots(session, lab, policy, "DIODE-IV", 5) == []  # Saturday
    assert _slots(session, lab, policy, "DIODE-IV", 25) == []  # Christmas Day
    today = find_slots(
        session=session,
        method=lab.methods["DIODE-IV"],
        policy=policy,
        now=NOW,
        start=kst(2026, 11, 30, 0),
        end=kst(2026, 12, 1, 0),
        quota=None,
    )
    assert today == []


def test_the_first_slot_is_found_across_weeks(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    method: TestMethod = lab.methods["DIODE-IV"]
    found = first_slot(
        session=session, method=method, policy=policy, now=NOW, after=kst(2026, 12, 24, 17, 30), quota=None
    )
    assert found is not None
    assert found.start == kst(2026, 12, 28, 9)  # past Christmas and the weekend

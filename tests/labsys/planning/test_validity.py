"""The rules check catches what it is there to catch, so that a clean proposal means something."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from labsys.planning.problem import Period
from labsys.planning.schedule import Placement
from labsys.planning.validity import violations
from tests.labsys.planning.support import MONDAY, at, booking, lab, with_bookings


def test_two_works_on_one_instrument_at_once_are_caught() -> None:
    problem = with_bookings(
        lab(engineers=2), booking(1, hours=2, promised=MONDAY), booking(2, hours=2, promised=MONDAY)
    )
    schedule = {
        1: Placement(1, at(MONDAY, 9), at(MONDAY, 11), (1,), 1),
        2: Placement(2, at(MONDAY, 10), at(MONDAY, 12), (1,), 2),
    }
    assert violations(problem, schedule) == ["instrument 1 holds bookings 1 and 2 at once"]


def test_work_before_opening_in_downtime_or_off_grid_is_caught() -> None:
    problem = with_bookings(lab(), booking(1, hours=2, promised=MONDAY))
    down = replace(problem.instruments[0], downtime=(Period(at(MONDAY, 12), at(MONDAY, 13)),))
    problem = replace(problem, instruments=(down,))
    assert violations(problem, {1: Placement(1, at(MONDAY, 8), at(MONDAY, 10), (1,), 1)})
    assert violations(problem, {1: Placement(1, at(MONDAY, 11), at(MONDAY, 13), (1,), 1)})
    assert violations(problem, {1: Placement(1, at(MONDAY, 9, 10), at(MONDAY, 11, 10), (1,), 1)})
    assert not violations(problem, {1: Placement(1, at(MONDAY, 13), at(MONDAY, 15), (1,), 1)})


def test_an_unqualified_engineer_or_a_lapsed_calibration_is_caught() -> None:
    problem = with_bookings(lab(), booking(1, hours=2, promised=MONDAY))
    lapsed = replace(problem.instruments[0], calibration_due=MONDAY - timedelta(days=1))
    placement = {1: Placement(1, at(MONDAY, 9), at(MONDAY, 11), (1,), 1)}
    assert violations(replace(problem, instruments=(lapsed,)), placement)
    unqualified = replace(problem.engineers[0], qualified_kinds=frozenset({"scope"}))
    assert violations(replace(problem, engineers=(unqualified,)), placement)

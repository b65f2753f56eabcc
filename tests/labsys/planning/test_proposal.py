"""The planner's proposal on small hand-made labs: who goes first, why a booking cannot go, what stays put."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from labsys.planning.greedy import first_free_schedule
from labsys.planning.metrics import figures
from labsys.planning.problem import Reservation
from labsys.planning.proposal import plan
from labsys.planning.validity import violations
from tests.labsys.planning.support import MONDAY, at, booking, lab, with_bookings

TUESDAY = MONDAY + timedelta(days=1)


def test_urgent_beats_normal_when_only_one_fits_before_the_promises() -> None:
    normal = booking(1, hours=9, promised=MONDAY)
    urgent = booking(2, hours=9, promised=MONDAY, urgent=True, received_hour=8)
    proposal = plan(with_bookings(lab(days=2), normal, urgent), time_limit_s=5)
    assert proposal.schedule[2].start == at(MONDAY, 9)
    assert proposal.schedule[1].start == at(TUESDAY, 9)
    assert not violations(with_bookings(lab(days=2), normal, urgent), proposal.schedule)


def test_an_unplaceable_booking_says_why() -> None:
    problem = with_bookings(lab(), replace(booking(1, hours=2, promised=MONDAY), kinds=("scope",)))
    proposal = plan(problem, time_limit_s=2)
    (change,) = proposal.of("unplaceable")
    assert change.reason == "the lab has no scope instrument"


def test_a_booking_longer_than_a_day_says_so() -> None:
    proposal = plan(with_bookings(lab(), booking(1, hours=10, promised=MONDAY)), time_limit_s=2)
    assert "longer than the lab is open in a day" in (proposal.of("unplaceable")[0].reason or "")


def test_a_full_lab_leaves_the_last_booking_without_room() -> None:
    problem = with_bookings(lab(), booking(1, hours=9, promised=MONDAY), booking(2, hours=9, promised=MONDAY))
    proposal = plan(problem, time_limit_s=2)
    assert len(proposal.of("assigned")) == 1
    assert "no room before the horizon ends" in (proposal.of("unplaceable")[0].reason or "")


def test_replanning_an_unchanged_problem_moves_nothing() -> None:
    problem = with_bookings(
        lab(days=2, instruments=2, engineers=2), *(booking(n, hours=3, promised=TUESDAY) for n in range(1, 6))
    )
    first = plan(problem, time_limit_s=5)
    confirmed = tuple(
        replace(b, current=Reservation(p.start, p.instrument_ids, p.engineer_id))
        for b in problem.bookings
        if (p := first.schedule[b.id])
    )
    again = plan(replace(problem, bookings=confirmed), time_limit_s=5)
    assert len(again.of("kept")) == 5
    assert not again.of("moved")


def test_the_planner_keeps_a_promise_first_come_first_served_breaks() -> None:
    # The first sample to arrive has a week; the second, urgent, is due tonight. One DMM, one day of work each.
    relaxed = booking(1, hours=9, promised=TUESDAY, received_hour=7)
    pressed = booking(2, hours=9, promised=MONDAY, urgent=True, received_hour=8)
    problem = with_bookings(lab(days=2), relaxed, pressed)
    baseline = figures(problem, first_free_schedule(problem))
    planned = figures(problem, plan(problem, time_limit_s=5).schedule)
    assert baseline.promises_broken == 1
    assert planned.promises_broken == 0
    assert planned.weighted_tardiness_h < baseline.weighted_tardiness_h

"""Where a booking's work could go, before anyone else's work is counted: starts, instruments, engineers.

A start is a candidate when it is on the slot grid of one day's opening hours, at or after the booking's release,
inside the horizon, and some instrument of every kind the method needs (in service and calibrated through the
work's end day) and some qualified engineer at work for the whole span are there. The solver, the greedy
baseline and the reasons for an unplaceable booking all start from these.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from labsys.planning.problem import Booking, Engineer, Instrument, PlanningProblem

__all__ = ["candidate_starts", "engineer_usable", "grid_starts", "instrument_usable", "qualified_engineers"]


def grid_starts(problem: PlanningProblem, booking: Booking) -> Iterator[datetime]:
    """Every start on the slot grid whose work fits one day's opening hours, from the release to the horizon's end."""
    grid = timedelta(minutes=problem.grid_min)
    earliest = max(booking.release, problem.start)
    for window in problem.open_windows:
        if window.end < earliest + booking.duration:
            continue
        start = window.start
        while start + booking.duration <= min(window.end, problem.end):
            if start >= earliest:
                yield start
            start += grid


def instrument_usable(problem: PlanningProblem, instrument: Instrument, start: datetime, end: datetime) -> bool:
    """Whether ``instrument`` may hold work ``[start, end)``: calibrated through the end's day, and in no downtime
    before the work and its setup buffer are over."""
    blocked_until = end + timedelta(minutes=instrument.setup_buffer_min)
    return instrument.calibrated_through(problem.policy.lab_date(end)) and not any(
        down.overlaps(start, blocked_until) for down in instrument.downtime
    )


def engineer_usable(engineer: Engineer, booking: Booking, start: datetime, end: datetime) -> bool:
    """Whether ``engineer`` may do ``booking``'s work over ``[start, end)``: qualified and at work throughout."""
    return engineer.qualified_for(booking.kinds) and engineer.available_over(start, end)


def qualified_engineers(problem: PlanningProblem, booking: Booking) -> list[Engineer]:
    """The engineers qualified for every kind ``booking`` needs, by id."""
    return sorted((e for e in problem.engineers if e.qualified_for(booking.kinds)), key=lambda e: e.id)


def candidate_starts(problem: PlanningProblem, booking: Booking) -> list[datetime]:
    """The starts where ``booking``'s work could go if the lab were otherwise empty, earliest first."""
    by_kind = [problem.instruments_of(kind) for kind in booking.kinds]
    engineers = qualified_engineers(problem, booking)
    starts = []
    for start in grid_starts(problem, booking):
        end = start + booking.duration
        if all(any(instrument_usable(problem, i, start, end) for i in group) for group in by_kind) and any(
            e.available_over(start, end) for e in engineers
        ):
            starts.append(start)
    return starts

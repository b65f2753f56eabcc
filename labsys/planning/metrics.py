"""What a schedule is worth to the lab and its customers: promises broken, tardiness, days to report, utilisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from labsys.planning.problem import Booking, PlanningProblem
from labsys.planning.schedule import Schedule

__all__ = ["NORMAL_WEIGHT", "URGENT_WEIGHT", "ScheduleFigures", "figures", "promise_cost", "weight"]

#: How much a minute of an urgent booking's lateness weighs against a normal one's.
URGENT_WEIGHT = 3
NORMAL_WEIGHT = 1


def weight(booking: Booking) -> int:
    """The weight of ``booking``'s lateness."""
    return URGENT_WEIGHT if booking.urgent else NORMAL_WEIGHT


@dataclass(frozen=True)
class ScheduleFigures:
    """A schedule's figures. An unplaced booking whose promise falls inside the horizon counts as broken, and
    as late until the horizon's end (a lower bound)."""

    promises_broken: int
    unplaced: int
    weighted_tardiness_h: float
    mean_days_to_report: float  # working days from release to the end of the work, over placed bookings
    utilisation: float  # booked instrument hours / open instrument hours over the horizon


def figures(problem: PlanningProblem, schedule: Schedule) -> ScheduleFigures:
    """The figures of ``schedule`` for ``problem``."""
    broken, tardiness, days = 0, timedelta(), []
    for booking in problem.bookings:
        placement = schedule.get(booking.id)
        end = placement.end if placement else problem.end
        if placement is not None:
            days.append(_working_days(problem, problem.policy.lab_date(booking.release), problem.policy.lab_date(end)))
        if end > booking.promised_by:
            broken += 1
            tardiness += weight(booking) * (end - booking.promised_by)
    booked = sum(((p.end - p.start) * len(p.instrument_ids) for p in schedule.values()), timedelta())
    open_hours = sum((w.end - w.start for w in problem.open_windows), timedelta()) * len(problem.instruments)
    return ScheduleFigures(
        promises_broken=broken,
        unplaced=len(problem.bookings) - len(schedule),
        weighted_tardiness_h=tardiness / timedelta(hours=1),
        mean_days_to_report=fmean(days) if days else 0.0,
        utilisation=booked / open_hours if open_hours else 0.0,
    )


def promise_cost(problem: PlanningProblem, schedule: Schedule) -> int:
    """The planner's first objective for ``schedule``, in weighted minutes: tardiness, a working day more for each
    broken promise, and more than the whole horizon for each unplaced booking."""
    horizon = _minutes(problem.end - problem.start)
    day = max((_minutes(w.end - w.start) for w in problem.open_windows), default=0)
    cost = 0
    for booking in problem.bookings:
        placement = schedule.get(booking.id)
        if placement is None:
            cost += weight(booking) * (horizon + day + 1)
        elif placement.end > booking.promised_by:
            cost += weight(booking) * (day + _minutes(placement.end - booking.promised_by))
    return cost


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def _working_days(problem: PlanningProblem, since: date, until: date) -> int:
    """Open days after ``since`` up to ``until`` (the day of release does not count)."""
    count, day = 0, since
    while day < until:
        day += timedelta(days=1)
        count += problem.policy.is_open(day)
    return count

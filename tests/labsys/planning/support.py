"""Small hand-made labs for the planner's focused tests: one open day or two, a few instruments and engineers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from labsys.planning.generate import lab_policy
from labsys.planning.problem import Booking, Engineer, Instrument, PlanningProblem, open_windows, promise_deadline

MONDAY = date(2026, 3, 9)
POLICY = lab_policy()
START = datetime.combine(MONDAY, time(0), POLICY.zone).astimezone(UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A lab-zone wall time, in UTC."""
    return datetime.combine(day, time(hour, minute), POLICY.zone).astimezone(UTC)


def lab(days: int = 1, *, instruments: int = 1, engineers: int = 1) -> PlanningProblem:
    """A lab of ``instruments`` DMMs and ``engineers`` DMM engineers at work whenever it is open, no bookings."""
    windows = open_windows(POLICY, START, START + timedelta(days=days))
    far = MONDAY + timedelta(days=365)
    return PlanningProblem(
        start=START,
        end=START + timedelta(days=days),
        now=START,
        grid_min=30,
        open_windows=windows,
        instruments=tuple(Instrument(n, f"DMM-{n}", "dmm", 0, far) for n in range(1, instruments + 1)),
        engineers=tuple(Engineer(n, f"e{n}", frozenset({"dmm"}), windows) for n in range(1, engineers + 1)),
        bookings=(),
        policy=POLICY,
    )


def booking(n: int, *, hours: float, promised: date, urgent: bool = False, received_hour: int = 8) -> Booking:
    """A DMM booking received on Monday morning, promised for ``promised``."""
    received = at(MONDAY, received_hour) - timedelta(minutes=n)
    return Booking(
        id=n,
        company="acme",
        kinds=("dmm",),
        duration_min=int(hours * 60),
        release=at(MONDAY, 9),
        received=received,
        promised=promised,
        promised_by=promise_deadline(POLICY, promised),
        urgent=urgent,
    )


def with_bookings(problem: PlanningProblem, *bookings: Booking) -> PlanningProblem:
    """``problem`` with these bookings."""
    return replace(problem, bookings=bookings)

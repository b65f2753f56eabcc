"""Seeded labs and workloads for the planner's tests and benchmark: instruments, engineers, bookings.

A generated lab has instruments of several kinds (some methods need two kinds at once), engineers with shifts,
leave and qualifications, calibration due dates and downtime; its workload is a backlog of samples received in
the week before the horizon plus samples arriving through the first week, some urgent, some already confirmed.
The same seed gives the same lab.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from labsys.planning.greedy import first_free_schedule
from labsys.planning.problem import (
    Booking,
    Engineer,
    Instrument,
    Period,
    PlanningProblem,
    Reservation,
    open_windows,
    promise_deadline,
    promised_date,
)
from labsys.scheduling.policy import SchedulingPolicy

__all__ = ["KINDS", "LabShape", "generated_problem", "lab_policy"]

#: Instrument kinds and how common each is in a lab.
KINDS: dict[str, int] = {
    "dmm": 6, "smu": 5, "scope": 5, "generator": 4, "lcr": 3, "supply": 4, "chamber": 2, "analyzer": 2,
}  # fmt: skip
DURATIONS_MIN = (180, 240, 300, 360)
COMPANIES = tuple(f"company-{n:02d}" for n in range(1, 21))
#: A Monday with no public holiday in the two weeks that follow it.
FIRST_MONDAY = date(2026, 3, 9)


@dataclass(frozen=True)
class LabShape:
    """How big a generated lab and its workload are."""

    instruments: int = 150
    engineers: int = 50
    bookings: int = 400
    horizon_days: int = 14
    methods: int = 14
    backlog_share: float = 0.75  # samples received before the horizon
    urgent_share: float = 0.2
    confirmed_share: float = 0.2  # of the backlog, already holding a reservation
    durations_min: tuple[int, ...] = DURATIONS_MIN


def lab_policy() -> SchedulingPolicy:
    """The generated lab's policy: Seoul, 09:00–18:00 on weekdays that are not public holidays, a 30-minute grid."""
    return SchedulingPolicy(
        zone=ZoneInfo("Asia/Seoul"),
        opening_time=time(9),
        closing_time=time(18),
        closed_weekdays=frozenset({5, 6}),
        holiday_country="KR",
        extra_closed_dates=frozenset(),
        min_notice=timedelta(0),
        max_advance=timedelta(days=90),
        weekly_quota=1000,
        grid=timedelta(minutes=30),
    )


def generated_problem(seed: int, shape: LabShape | None = None) -> PlanningProblem:
    """A lab and its workload drawn from ``seed``, over ``shape.horizon_days`` from a Monday's midnight (lab zone)."""
    shape = shape or LabShape()
    rng = random.Random(seed)
    policy = lab_policy()
    start = datetime.combine(FIRST_MONDAY, time(0), policy.zone).astimezone(UTC)
    end = start + timedelta(days=shape.horizon_days)
    windows = open_windows(policy, start, end)
    instruments = _instruments(rng, shape, windows)
    kinds = sorted({i.kind for i in instruments})
    engineers = _engineers(rng, shape, windows, kinds, policy)
    now = windows[0].start - timedelta(hours=1)
    problem = PlanningProblem(
        start=start,
        end=end,
        now=now,
        grid_min=int(policy.grid.total_seconds() // 60),
        open_windows=windows,
        instruments=instruments,
        engineers=engineers,
        bookings=(),
        policy=policy,
    )
    bookings = _bookings(rng, shape, problem, _methods(rng, shape, kinds))
    return _with_confirmed(rng, shape, replace(problem, bookings=bookings))


def _instruments(rng: random.Random, shape: LabShape, windows: tuple[Period, ...]) -> tuple[Instrument, ...]:
    names = list(KINDS)
    kinds = names[: shape.instruments] + rng.choices(
        names, weights=list(KINDS.values()), k=max(0, shape.instruments - len(names))
    )
    instruments = []
    for n, kind in enumerate(sorted(kinds), start=1):
        roll = rng.random()
        if roll < 0.07:  # falls due inside the horizon
            due: date | None = (rng.choice(windows).start + timedelta(hours=9)).date()
        elif roll < 0.09:
            due = None
        else:
            due = windows[-1].end.date() + timedelta(days=rng.randint(30, 300))
        downtime: tuple[Period, ...] = ()
        if rng.random() < 0.06:
            window = rng.choice(windows)
            begins = window.start + timedelta(hours=rng.randint(0, 6))
            downtime = (Period(begins, begins + timedelta(hours=rng.choice((2, 4, 8, 30)))),)
        instruments.append(
            Instrument(n, f"LAB-{kind.upper()}-{n:03d}", kind, rng.choice((0, 0, 15, 30)), due, downtime)
        )
    return tuple(instruments)


def _engineers(
    rng: random.Random, shape: LabShape, windows: tuple[Period, ...], kinds: list[str], policy: SchedulingPolicy
) -> tuple[Engineer, ...]:
    engineers = []
    days = sorted({policy.lab_date(w.start) for w in windows})
    for n in range(1, shape.engineers + 1):
        qualified = frozenset(rng.sample(kinds, k=min(len(kinds), rng.randint(4, 6))))
        pattern = rng.random()
        day_off = rng.randint(0, 4) if pattern > 0.9 else None
        leave: set[date] = set()
        if rng.random() < 0.15:
            first = rng.randrange(len(days))
            leave = set(days[first : first + rng.randint(1, 3)])
        available = []
        for window in windows:
            day = policy.lab_date(window.start)
            if day in leave or day.weekday() == day_off:
                continue
            if pattern < 0.1:  # mornings only
                available.append(Period(window.start, window.start + timedelta(hours=4)))
            elif pattern < 0.2:  # afternoons only
                available.append(Period(window.end - timedelta(hours=5), window.end))
            else:
                available.append(window)
        engineers.append(Engineer(n, f"engineer-{n:02d}", qualified, tuple(available)))
    return tuple(engineers)


def _methods(rng: random.Random, shape: LabShape, kinds: list[str]) -> list[tuple[tuple[str, ...], int]]:
    methods: list[tuple[tuple[str, ...], int]] = []
    for _ in range(shape.methods):
        two = len(kinds) > 1 and rng.random() < 0.3
        # Methods use kinds as often as the lab has them, so no kind is swamped by chance.
        first = rng.choices(kinds, weights=[KINDS.get(k, 1) for k in kinds])[0]
        pair = (first, rng.choice([k for k in kinds if k != first])) if two else (first,)
        methods.append((pair, rng.choice(shape.durations_min)))
    return methods


def _bookings(
    rng: random.Random, shape: LabShape, problem: PlanningProblem, methods: list[tuple[tuple[str, ...], int]]
) -> tuple[Booking, ...]:
    policy = problem.policy
    first_week = [w for w in problem.open_windows if w.start < problem.start + timedelta(days=7)]
    before = (FIRST_MONDAY - timedelta(days=n) for n in range(1, 15))
    backlog = [Period(*policy.opening(day)) for day in before if policy.is_open(day)][:5]
    bookings = []
    for n in range(1, shape.bookings + 1):
        window = rng.choice(backlog if rng.random() < shape.backlog_share else first_week)
        received = window.start + timedelta(
            minutes=rng.randrange(int((window.end - window.start).total_seconds() // 60))
        )
        urgent = rng.random() < shape.urgent_share
        kinds, duration = rng.choice(methods)
        promised = promised_date(policy, received, urgent=urgent)
        bookings.append(
            Booking(
                id=n,
                company=rng.choice(COMPANIES),
                kinds=kinds,
                duration_min=duration,
                release=max(received, problem.now),
                received=received,
                promised=promised,
                promised_by=promise_deadline(policy, promised),
                urgent=urgent,
            )
        )
    return tuple(sorted(bookings, key=lambda b: (b.received, b.id)))


def _with_confirmed(rng: random.Random, shape: LabShape, problem: PlanningProblem) -> PlanningProblem:
    """Give some of the backlog the reservations a first-come-first-served system would have confirmed."""
    backlog = [b for b in problem.bookings if b.received < problem.start]
    chosen = {b.id for b in rng.sample(backlog, k=int(len(backlog) * shape.confirmed_share))}
    held = first_free_schedule(replace(problem, bookings=tuple(b for b in problem.bookings if b.id in chosen)))
    bookings = tuple(
        replace(b, current=Reservation(p.start, p.instrument_ids, p.engineer_id)) if (p := held.get(b.id)) else b
        for b in problem.bookings
    )
    return replace(problem, bookings=bookings)

"""The planning problem as a CP-SAT model on a time grid, in minutes from the horizon's start.

Each booking is placed once or left unplaced. Its start takes one of its candidate starts (the slot grid of one
day's opening hours, after its release: see :mod:`labsys.planning.candidates`), so opening hours, the grid and the
release hold by construction. For each kind it needs, exactly one instrument of that kind holds the work and its
setup buffer (an optional interval, in the instrument's no-overlap with its downtime); exactly one qualified
engineer does the work (an optional interval, in the engineer's no-overlap with the hours they are not at work).
An instrument holds only work that ends before the day after its calibration falls due.

Three objectives, minimised in that order by :mod:`labsys.planning.solver`: ``promises`` (weighted tardiness
against the promised moment, a broken promise costing a working day on top; unplaced costs more than any
tardiness), ``earliness`` (the sum of starts: with durations fixed, the sum of ends up to a constant) and
``moves`` (confirmed reservations not kept as they are).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from ortools.sat.python import cp_model

from labsys.planning.candidates import instrument_usable
from labsys.planning.metrics import weight as lateness_weight
from labsys.planning.problem import Booking, Engineer, Instrument, Period, PlanningProblem
from labsys.planning.schedule import Placement, Schedule

__all__ = ["BookingVars", "PlanModel"]


@dataclass
class BookingVars:
    """One booking's decisions: whether placed, when, on which instruments (per kind) and by whom."""

    booking: Booking
    placed: cp_model.IntVar
    start: cp_model.IntVar
    instruments: list[dict[int, cp_model.IntVar]]  # per kind of the method: instrument id → chosen
    engineers: dict[int, cp_model.IntVar]
    cost: list[tuple[cp_model.IntVar, int]] = field(default_factory=list)  # promise cost terms: (variable, weight)
    kept: cp_model.IntVar | None = None


class PlanModel:
    """The CP-SAT model of ``problem`` for the bookings given with their candidate starts."""

    def __init__(self, problem: PlanningProblem, candidates: dict[int, list[datetime]]) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.horizon = self.minute(problem.end)
        self.day_min = max((int((w.end - w.start).total_seconds() // 60) for w in problem.open_windows), default=0)
        self._instrument_intervals: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
        self._engineer_intervals: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
        self.bookings = [self._booking(b, candidates[b.id]) for b in problem.bookings if candidates.get(b.id)]
        self._no_overlaps()

    def minute(self, moment: datetime) -> int:
        """Minutes from the horizon's start to ``moment`` (rounded down)."""
        return int((moment - self.problem.start).total_seconds() // 60)

    def moment(self, minute: int) -> datetime:
        """The moment ``minute`` minutes after the horizon's start."""
        return self.problem.start + timedelta(minutes=minute)

    @property
    def promises(self) -> cp_model.LinearExpr:
        """Weighted tardiness, broken promises and unplaced bookings, in weighted minutes."""
        terms = [(var, weight) for b in self.bookings for var, weight in b.cost]
        return cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [w for _, w in terms])

    @property
    def earliness(self) -> cp_model.LinearExpr:
        """The sum of starts, in minutes."""
        return cp_model.LinearExpr.sum([b.start for b in self.bookings])

    @property
    def moves(self) -> cp_model.LinearExpr:
        """How many confirmed reservations are not kept as they are."""
        kept = [b.kept for b in self.bookings if b.kept is not None]
        return len(kept) - cp_model.LinearExpr.sum(kept)

    def _booking(self, booking: Booking, starts: list[datetime]) -> BookingVars:
        model, name = self.model, f"b{booking.id}"
        duration = booking.duration_min
        placed = model.new_bool_var(f"{name}.placed")
        start = model.new_int_var_from_domain(
            cp_model.Domain.from_values([self.minute(s) for s in starts]), f"{name}.start"
        )
        end = start + duration
        instruments = []
        for index, kind in enumerate(booking.kinds):
            chosen = {}
            for instrument in self._usable(booking, kind, starts):
                x = model.new_bool_var(f"{name}.k{index}.i{instrument.id}")
                size = duration + instrument.setup_buffer_min
                interval = model.new_optional_interval_var(start, size, start + size, x, f"{name}.i{instrument.id}")
                self._instrument_intervals[instrument.id].append(interval)
                limit = self._calibration_limit(instrument)
                if limit < self.horizon:
                    model.add(end <= limit).only_enforce_if(x)
                chosen[instrument.id] = x
            model.add(cp_model.LinearExpr.sum(list(chosen.values())) == placed)
            instruments.append(chosen)
        engineers = {}
        for engineer in self.problem.engineers:
            if engineer.qualified_for(booking.kinds):
                y = model.new_bool_var(f"{name}.e{engineer.id}")
                interval = model.new_optional_interval_var(start, duration, end, y, f"{name}.e{engineer.id}")
                self._engineer_intervals[engineer.id].append(interval)
                engineers[engineer.id] = y
        model.add(cp_model.LinearExpr.sum(list(engineers.values())) == placed)
        found = BookingVars(booking, placed, start, instruments, engineers)
        self._promise_cost(found)
        self._keep(found)
        return found

    def _usable(self, booking: Booking, kind: str, starts: list[datetime]) -> list[Instrument]:
        return [
            i
            for i in self.problem.instruments_of(kind)
            if any(instrument_usable(self.problem, i, s, s + booking.duration) for s in starts)
        ]

    def _calibration_limit(self, instrument: Instrument) -> int:
        """The minute by which work on ``instrument`` must end: the start of the day after it falls due."""
        if instrument.calibration_due is None:
            return 0
        day_after = instrument.calibration_due + timedelta(days=1)
        limit = datetime.combine(day_after, time(0), self.problem.policy.zone).astimezone(UTC)
        return max(0, min(self.minute(limit), self.horizon))

    def _promise_cost(self, found: BookingVars) -> None:
        model, booking = self.model, found.booking
        weight = lateness_weight(booking)
        not_placed = found.placed.negated()
        # Unplaced costs more than the latest placement could: the whole horizon late plus a broken promise.
        unplaced = model.new_bool_var(f"b{booking.id}.unplaced")
        model.add(unplaced == 1 - found.placed)
        found.cost.append((unplaced, weight * (self.horizon + self.day_min + 1)))
        due = self.minute(booking.promised_by)
        if due >= self.horizon:
            return
        end = found.start + booking.duration_min
        late = model.new_bool_var(f"b{booking.id}.late")
        model.add(end <= due).only_enforce_if([late.negated(), found.placed])
        tardy = model.new_int_var(0, self.horizon, f"b{booking.id}.tardy")
        model.add(tardy >= end - due).only_enforce_if(found.placed)
        model.add_implication(not_placed, late.negated())
        found.cost.extend([(late, weight * self.day_min), (tardy, weight)])

    def _keep(self, found: BookingVars) -> None:
        current = found.booking.current
        if current is None or current.engineer_id not in found.engineers:
            return
        if len(current.instrument_ids) != len(found.instruments) or any(
            i not in chosen for i, chosen in zip(current.instrument_ids, found.instruments, strict=True)
        ):
            return
        kept = self.model.new_bool_var(f"b{found.booking.id}.kept")
        self.model.add(found.start == self.minute(current.start)).only_enforce_if(kept)
        self.model.add_implication(kept, found.placed)
        self.model.add_implication(kept, found.engineers[current.engineer_id])
        for i, chosen in zip(current.instrument_ids, found.instruments, strict=True):
            self.model.add_implication(kept, chosen[i])
        found.kept = kept

    def _no_overlaps(self) -> None:
        for instrument in self.problem.instruments:
            intervals = self._instrument_intervals.get(instrument.id)
            if intervals:
                blocked = self._fixed(instrument.downtime, f"i{instrument.id}.down")
                self.model.add_no_overlap(intervals + blocked)
        engineers = {e.id: e for e in self.problem.engineers}
        for engineer_id, intervals in self._engineer_intervals.items():
            away = self._fixed(_away(engineers[engineer_id], self.problem), f"e{engineer_id}.away")
            self.model.add_no_overlap(intervals + away)

    def _fixed(self, periods: tuple[Period, ...], name: str) -> list[cp_model.IntervalVar]:
        fixed = []
        for period in periods:
            start, end = max(0, self.minute(period.start)), min(self.horizon, self.minute(period.end))
            if start < end:
                fixed.append(self.model.new_fixed_size_interval_var(start, end - start, name))
        return fixed

    def hint(self, schedule: Schedule) -> None:
        """Suggest ``schedule`` as the first solution (bookings not in it unplaced)."""
        for found in self.bookings:
            placement = schedule.get(found.booking.id)
            self.model.add_hint(found.placed, placement is not None)
            if placement is None:
                continue
            self.model.add_hint(found.start, self.minute(placement.start))
            for instrument_id, chosen in zip(placement.instrument_ids, found.instruments, strict=True):
                for i, x in chosen.items():
                    self.model.add_hint(x, i == instrument_id)
            for e, y in found.engineers.items():
                self.model.add_hint(y, e == placement.engineer_id)

    def schedule(self, solver: cp_model.CpSolver) -> Schedule:
        """The schedule in ``solver``'s last solution."""
        schedule: Schedule = {}
        for found in self.bookings:
            if not solver.boolean_value(found.placed):
                continue
            start = self.moment(solver.value(found.start))
            instruments = tuple(next(i for i, x in c.items() if solver.boolean_value(x)) for c in found.instruments)
            engineer = next(e for e, y in found.engineers.items() if solver.boolean_value(y))
            schedule[found.booking.id] = Placement(
                found.booking.id, start, start + found.booking.duration, instruments, engineer
            )
        return schedule


def _away(engineer: Engineer, problem: PlanningProblem) -> tuple[Period, ...]:
    """The spans of the horizon when ``engineer`` is not at work."""
    away, since = [], problem.start
    for period in sorted(engineer.available):
        if since < period.start:
            away.append(Period(since, period.start))
        since = max(since, period.end)
    if since < problem.end:
        away.append(Period(since, problem.end))
    return tuple(away)

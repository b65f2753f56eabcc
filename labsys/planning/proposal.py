"""The planner's proposal: what changes for each booking, and why a booking cannot be placed.

A lab manager reads it as a diff against today: ``assigned`` (was waiting, now placed), ``moved`` (its confirmed
reservation changes start, instruments or engineer), ``kept`` (its confirmed reservation stays as it is) and
``unplaceable`` (with the reason; a confirmed booking listed so loses its reservation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from labsys.planning.candidates import candidate_starts
from labsys.planning.greedy import arrival, deadline, first_free_schedule
from labsys.planning.metrics import promise_cost
from labsys.planning.problem import Booking, PlanningProblem, Reservation
from labsys.planning.reasons import NO_ROOM, structural_reason
from labsys.planning.schedule import Placement, Schedule

if TYPE_CHECKING:
    from labsys.planning.solver import SolveReport

__all__ = ["Action", "Change", "Proposal", "changes", "plan"]

Action = Literal["assigned", "moved", "kept", "unplaceable"]


@dataclass(frozen=True)
class Change:
    """What the proposal does to one booking: ``old`` is its reservation today, ``new`` its placement."""

    booking_id: int
    action: Action
    old: Reservation | None
    new: Placement | None
    reason: str | None = None  # why it is unplaceable


@dataclass(frozen=True)
class Proposal:
    """The changes, booking by booking (in booking order), the schedule they add up to and the solver's report."""

    changes: tuple[Change, ...]
    schedule: Schedule
    report: SolveReport

    def of(self, action: Action) -> list[Change]:
        """The changes of one kind."""
        return [c for c in self.changes if c.action == action]


def plan(problem: PlanningProblem, *, time_limit_s: float = 20.0, workers: int = 2) -> Proposal:
    """Plan ``problem``'s bookings within ``time_limit_s`` seconds on ``workers`` CP-SAT workers."""
    candidates = {b.id: candidate_starts(problem, b) for b in problem.bookings}
    reasons = {b.id: why for b in problem.bookings if (why := structural_reason(problem, b, candidates[b.id]))}
    # CP-SAT starts from the better of two quick schedules: first come first served, and earliest promise first.
    hints = [first_free_schedule(problem, order) for order in (arrival, deadline)]
    hint = min(hints, key=lambda schedule: promise_cost(problem, schedule))
    # OR-Tools takes about a second to import: the lab's server and CLI load it when a plan is first asked for.
    from labsys.planning.solver import solve  # noqa: PLC0415

    schedule, report = solve(problem, candidates, hint=hint, time_limit_s=time_limit_s, workers=workers)
    return Proposal(changes(problem, schedule, reasons), schedule, report)


def changes(problem: PlanningProblem, schedule: Schedule, reasons: dict[int, str]) -> tuple[Change, ...]:
    """``schedule`` as a diff against the bookings' current reservations; ``reasons`` say why some cannot go."""
    return tuple(_change(b, schedule.get(b.id), reasons.get(b.id)) for b in sorted(problem.bookings, key=_by_id))


def _by_id(booking: Booking) -> int:
    return booking.id


def _change(booking: Booking, new: Placement | None, reason: str | None) -> Change:
    old = booking.current
    if new is None:
        return Change(booking.id, "unplaceable", old, None, reason or NO_ROOM)
    if old is None:
        return Change(booking.id, "assigned", None, new)
    same = (old.start, old.instrument_ids, old.engineer_id) == (new.start, new.instrument_ids, new.engineer_id)
    return Change(booking.id, "kept" if same else "moved", old, new)

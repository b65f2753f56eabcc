"""The planner's solver: CP-SAT over :class:`~labsys.planning.model.PlanModel`, one objective after another.

The objectives are lexicographic and solved in stages rather than folded into one weighted sum: promises
first, then earliness, then moves. Each stage starts from the previous stage's solution (as a hint) and is held to
it (its objective may not get worse), so a later stage can only pick among equally good earlier answers. A weighted
sum would need weights of ~10^9 between stages (tardiness in minutes over 400 bookings against a sum of starts),
which weakens CP-SAT's bounds; stages keep each objective's own bound, so the gap reported is meaningful.
The time limit is shared: the promises stage takes 60 % of it, what is left is shared 60/40 by the other two.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from ortools.sat.python import cp_model

from labsys.planning.model import PlanModel
from labsys.planning.problem import PlanningProblem
from labsys.planning.schedule import Schedule

__all__ = ["SolveReport", "StageResult", "solve"]

_SHARES = (("promises", 0.6), ("earliness", 0.6), ("moves", 1.0))


@dataclass(frozen=True)
class StageResult:
    """How one objective was solved: ``status`` is OPTIMAL or FEASIBLE; ``bound`` the best bound CP-SAT proved."""

    objective: str
    status: str
    value: int
    bound: int
    seconds: float

    @property
    def gap(self) -> float:
        """How far the value may be from the optimum, as a share of the value (0 when optimal)."""
        return 0.0 if self.value == self.bound else (self.value - self.bound) / max(1, abs(self.value))


@dataclass(frozen=True)
class SolveReport:
    """The solver's account: OPTIMAL when every stage was proved optimal, else FEASIBLE, with each stage's gap."""

    stages: tuple[StageResult, ...]
    seconds: float

    @property
    def status(self) -> str:
        """OPTIMAL if every objective was proved optimal, else FEASIBLE."""
        return "OPTIMAL" if all(s.status == "OPTIMAL" for s in self.stages) else "FEASIBLE"

    @property
    def gap(self) -> float:
        """The promises stage's gap: how much better the promises kept could still be, at most."""
        return self.stages[0].gap if self.stages else 0.0


def solve(
    problem: PlanningProblem,
    candidates: dict[int, list[datetime]],
    *,
    hint: Schedule,
    time_limit_s: float = 20.0,
    workers: int = 2,
) -> tuple[Schedule, SolveReport]:
    """The best schedule found for the bookings with candidate starts, within ``time_limit_s`` seconds.

    ``hint`` is a valid schedule to start from (the first-free-slot one will do): CP-SAT completes it into its
    first solution, so the answer is as good as the hint unless the time is too short to read the model.
    Runs ``workers`` CP-SAT search workers.
    """
    began = time.perf_counter()
    plan = PlanModel(problem, candidates)
    plan.hint(hint)
    schedule, stages = hint, []
    objectives = {"promises": plan.promises, "earliness": plan.earliness, "moves": plan.moves}
    for name, share in _SHARES:
        left = time_limit_s - (time.perf_counter() - began)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, left * share)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 1
        # Presolve probing took ~7 s of wall time per pass on 400 bookings (for no fixing to speak of).
        solver.parameters.cp_model_probing_level = 0
        objective = objectives[name]
        plan.model.minimize(objective)
        stage_began = time.perf_counter()
        status = solver.solve(plan.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break  # no better answer in time: keep the last one
        value = round(solver.objective_value)
        stages.append(
            StageResult(
                name,
                solver.status_name(status),
                value,
                round(solver.best_objective_bound),
                time.perf_counter() - stage_began,
            )
        )
        schedule = plan.schedule(solver)
        plan.model.add(objective <= value)
        _hint_solution(plan.model, solver)
    return schedule, SolveReport(tuple(stages), time.perf_counter() - began)


def _hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index, value in enumerate(solver.response_proto.solution):
        model.add_hint(model.get_int_var_from_proto_index(index), value)

"""The planner against the first-free-slot baseline on a generated lab: 150 instruments, 50 engineers, 400 bookings.

Run: ``uv run python benchmarks/planner.py [--seed 1] [--time-limit 25] [--workers 2] [--tight]``. The lab and its
workload come from :mod:`labsys.planning.generate` (a backlog received in the week before, samples arriving through
the first week, some urgent, some already confirmed, over a two-week horizon). For the baseline (first come first
served, first free slot, nothing moves) and for the planner it prints promises broken, unplaced bookings, weighted
tardiness, mean working days from release to report, instrument utilisation, the time taken and the solver's status
with each stage's gap. ``--tight`` makes the work longer (4 to 7 hours a booking), so that the week cannot hold every
promise in any order. Both schedules are checked against the lab's rules. Target: the planner breaks at most half the
promises the baseline breaks, within 30 s on two cores.
"""

from __future__ import annotations

import argparse
import time

from labsys.planning.generate import LabShape, generated_problem
from labsys.planning.greedy import first_free_schedule
from labsys.planning.metrics import ScheduleFigures, figures
from labsys.planning.proposal import plan
from labsys.planning.validity import violations


def _row(name: str, found: ScheduleFigures, seconds: float, status: str) -> str:
    return (
        f"{name:<10} {found.promises_broken:>7} {found.unplaced:>9} {found.weighted_tardiness_h:>12.1f} "
        f"{found.mean_days_to_report:>10.2f} {found.utilisation:>8.1%} {seconds:>8.2f}  {status}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=25.0, help="the planner's time limit, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tight", action="store_true", help="longer work: 4 to 7 hours a booking")
    args = parser.parse_args()
    shape = LabShape(durations_min=(240, 300, 360, 420)) if args.tight else LabShape()
    problem = generated_problem(args.seed, shape)
    print(
        f"lab: {len(problem.instruments)} instruments, {len(problem.engineers)} engineers, "
        f"{len(problem.bookings)} bookings ({sum(b.current is not None for b in problem.bookings)} confirmed, "
        f"{sum(b.urgent for b in problem.bookings)} urgent), horizon from {problem.policy.lab_date(problem.start)}, "
        f"{(problem.end - problem.start).days} days"
    )
    began = time.perf_counter()
    baseline = first_free_schedule(problem)
    baseline_s = time.perf_counter() - began
    began = time.perf_counter()
    proposal = plan(problem, time_limit_s=args.time_limit, workers=args.workers)
    planner_s = time.perf_counter() - began
    for name, schedule in (("baseline", baseline), ("planner", proposal.schedule)):
        broken = violations(problem, schedule)
        if broken:
            raise SystemExit(f"the {name}'s schedule breaks the lab's rules: {broken[:3]}")
    gaps = ", ".join(f"{s.objective} {s.status} gap {s.gap:.1%}" for s in proposal.report.stages)
    print(f"{'':<10} {'broken':>7} {'unplaced':>9} {'w.tardy h':>12} {'days→rep':>10} {'util':>8} {'time s':>8}")
    print(_row("baseline", figures(problem, baseline), baseline_s, "first free slot"))
    print(_row("planner", figures(problem, proposal.schedule), planner_s, f"{proposal.report.status} ({gaps})"))
    counts = {action: len(proposal.of(action)) for action in ("assigned", "moved", "kept", "unplaceable")}
    print("proposal:", ", ".join(f"{n} {action}" for action, n in counts.items()))


if __name__ == "__main__":
    main()

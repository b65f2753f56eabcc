"""A plan as text for a terminal: the solver's account, the figures, and the changes as a table."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from labsys.planning.schemas import PlanPublic

__all__ = ["plan_lines"]

_ORDER = {"moved": 0, "assigned": 1, "unplaceable": 2, "kept": 3}


def plan_lines(plan: PlanPublic, zone: ZoneInfo) -> list[str]:
    """The plan in lines of text, times in the lab's ``zone``; kept bookings are counted, not listed."""
    f = plan.figures
    lines = [
        f"plan {plan.id}: {_at(plan.starts_at, zone)} to {_at(plan.ends_at, zone)}",
        f"solver: {f.solver_status}, gap {f.gap:.1%}, {f.solve_s:.1f} s",
        (
            f"promises broken: {f.promises_broken_before} today, {f.promises_broken_after} with this plan "
            f"(weighted tardiness {f.weighted_tardiness_h_before:.1f} h -> {f.weighted_tardiness_h_after:.1f} h)"
        ),
    ]
    shown = sorted((c for c in plan.changes if c.action != "kept"), key=lambda c: (_ORDER[c.action], c.booking_id))
    kept = len(plan.changes) - len(shown)
    lines.append(f"{'booking':>7}  {'action':<11} {'company':<20} {'method':<12} {'from':<16}  {'to':<16}  where / why")
    for c in shown:
        where = c.reason if c.action == "unplaceable" else f"{', '.join(c.instruments)} by {c.engineer}"
        lines.append(
            f"{c.booking_id:>7}  {c.action:<11} {c.company[:20]:<20} {c.method[:12]:<12} "
            f"{_at(c.old_start, zone):<16}  {_at(c.new_start, zone):<16}  {where}"
        )
    lines.append(f"{kept} booking(s) kept where they are")
    if plan.applied_at is not None:
        lines.append(f"applied at {_at(plan.applied_at, zone)}")
    return lines


def _at(moment: datetime | None, zone: ZoneInfo) -> str:
    return "-" if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

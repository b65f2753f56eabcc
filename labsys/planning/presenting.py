"""A proposal in the lab's words: bookings by company and method, instruments by asset tag, engineers by name."""

from __future__ import annotations

from labsys.planning.metrics import figures
from labsys.planning.proposal import Change, Proposal
from labsys.planning.reading import LabProblem
from labsys.planning.schedule import Placement, Schedule
from labsys.planning.schemas import PlanChange, PlanFigures

__all__ = ["current_schedule", "plan_changes", "plan_figures"]


def current_schedule(lab: LabProblem) -> Schedule:
    """The schedule the lab holds today: each re-planned booking where its reservation is."""
    return {
        b.id: Placement(
            b.id, b.current.start, b.current.start + b.duration, b.current.instrument_ids, b.current.engineer_id or 0
        )
        for b in lab.problem.bookings
        if b.current is not None
    }


def plan_figures(lab: LabProblem, proposal: Proposal) -> PlanFigures:
    """Promises broken and tardiness today and with the proposal, and the solver's report."""
    before, after = figures(lab.problem, current_schedule(lab)), figures(lab.problem, proposal.schedule)
    return PlanFigures(
        promises_broken_before=before.promises_broken,
        promises_broken_after=after.promises_broken,
        weighted_tardiness_h_before=round(before.weighted_tardiness_h, 2),
        weighted_tardiness_h_after=round(after.weighted_tardiness_h, 2),
        solver_status=proposal.report.status,
        gap=round(proposal.report.gap, 4),
        solve_s=round(proposal.report.seconds, 2),
    )


def plan_changes(lab: LabProblem, proposal: Proposal) -> list[PlanChange]:
    """Every change of the proposal, booking by booking."""
    return [_change(lab, change) for change in proposal.changes]


def _change(lab: LabProblem, change: Change) -> PlanChange:
    facts = lab.bookings[change.booking_id]
    old, new = change.old, change.new
    tags = lab.asset_tags
    return PlanChange(
        booking_id=change.booking_id,
        company=facts.company,
        method=facts.method,
        action=change.action,
        old_start=old.start if old else None,
        old_instruments=[tags.get(i, str(i)) for i in old.instrument_ids] if old else [],
        old_engineer_id=old.engineer_id if old else None,
        new_start=new.start if new else None,
        new_end=new.end if new else None,
        instruments=[tags.get(i, str(i)) for i in new.instrument_ids] if new else [],
        instrument_ids=list(new.instrument_ids) if new else [],
        engineer_id=new.engineer_id if new else None,
        engineer=lab.engineers.get(new.engineer_id) if new else None,
        reason=change.reason,
        booking_updated_at=facts.updated_at,
    )

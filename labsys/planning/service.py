"""The planner for the lab manager: propose a plan for a week from the lab as it stands, and apply it.

Reading the lab is a read transaction; the solver runs outside any transaction (it may think for a minute); the
proposal is then kept (``plan_proposal``) so that it can be read and applied by id. Applying is one write
transaction under the lab's write lock, as a booking is (:mod:`labsys.planning.applying`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from labsys.audit import Actor, record
from labsys.bounds import check_lab_time
from labsys.db import Database, utcnow
from labsys.errors import InvalidInput, NotFound
from labsys.planning.applying import apply_plan
from labsys.planning.models import PlanProposal
from labsys.planning.presenting import plan_changes, plan_figures
from labsys.planning.proposal import plan
from labsys.planning.reading import read_problem
from labsys.planning.schemas import PlanCreate, PlanPublic
from labsys.scheduling import MAX_WINDOW, SchedulingPolicy
from labsys.weeks import parse_iso_week

__all__ = ["PlanningService"]


class PlanningService:
    """Plans of the lab's waiting work (admins).

    Args:
        db: the lab's database.
        policy: the scheduling rules every placement obeys.
        clock: the current time (aware UTC); tests may fix it.
        workers: CP-SAT search workers.
    """

    def __init__(
        self, db: Database, policy: SchedulingPolicy, clock: Callable[[], datetime] = utcnow, workers: int = 2
    ) -> None:
        self._db = db
        self._policy = policy
        self._clock = clock
        self._workers = workers

    def propose(self, plan_in: PlanCreate, *, by: Actor) -> PlanPublic:
        """Plan the week or stretch asked for, within its time limit, and keep the proposal.

        Raises:
            InvalidInput: a naive time, a stretch that ends before it starts or is longer than 31 days.
        """
        start, end = self._stretch(plan_in)
        now = self._clock()
        with self._db.reading() as session:
            lab = read_problem(session, policy=self._policy, now=now, start=start, end=end)
        proposal = plan(lab.problem, time_limit_s=plan_in.time_limit_s, workers=self._workers)
        figures = plan_figures(lab, proposal).model_dump(mode="json")
        body: dict[str, Any] = {
            "figures": figures,
            "changes": [c.model_dump(mode="json") for c in plan_changes(lab, proposal)],
        }
        with self._db.writing() as session:
            kept = PlanProposal(starts_at=start, ends_at=end, body=body, created_by_id=by.id, created_at=now)
            session.add(kept)
            session.flush()
            record(
                session, actor=by, action="plan.proposed", entity_type="plan", entity_id=kept.id,
                after={"starts_at": start.isoformat(), "ends_at": end.isoformat(), **figures},
            )  # fmt: skip
            return _public(kept)

    def get(self, plan_id: int) -> PlanPublic:
        """A kept proposal.

        Raises:
            NotFound: no plan with that id.
        """
        with self._db.reading() as session:
            return _public(_proposal(session.get(PlanProposal, plan_id), plan_id))

    def apply(self, plan_id: int, *, by: Actor) -> PlanPublic:
        """Apply a kept proposal in one transaction (see :func:`~labsys.planning.applying.apply_plan`).

        Raises:
            NotFound: no plan with that id.
            Conflict: applied already, or the lab changed since it was made (nothing is written).
        """
        with self._db.writing() as session:
            proposal = _proposal(session.get(PlanProposal, plan_id), plan_id)
            apply_plan(session, proposal=proposal, policy=self._policy, now=self._clock(), actor=by)
            return _public(proposal)

    def _stretch(self, plan_in: PlanCreate) -> tuple[datetime, datetime]:
        if plan_in.week is not None:
            return self._policy.week_bounds(parse_iso_week(plan_in.week))
        start, end = plan_in.start, plan_in.end
        assert start is not None and end is not None  # noqa: PT018, S101 - PlanCreate checks one or the other
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidInput("start", "start and end need a time zone (e.g. 2026-12-07T00:00:00+09:00)")
        check_lab_time("start", start)
        check_lab_time("end", end)
        if end <= start or end - start > MAX_WINDOW:
            raise InvalidInput("end", f"end must come after start, at most {MAX_WINDOW.days} days later")
        return start, end


def _proposal(proposal: PlanProposal | None, plan_id: int) -> PlanProposal:
    if proposal is None:
        raise NotFound(f"no plan {plan_id}")
    return proposal


def _public(proposal: PlanProposal) -> PlanPublic:
    return PlanPublic.model_validate(
        {
            **proposal.body,
            "id": proposal.id,
            "starts_at": proposal.starts_at,
            "ends_at": proposal.ends_at,
            "created_at": proposal.created_at,
            "applied_at": proposal.applied_at,
        }
    )

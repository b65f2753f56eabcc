"""The planner, for the lab manager (admins): propose a plan of the week's waiting work, read it, apply it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.security.jwt import Token
from litestar.status_codes import HTTP_201_CREATED

from api.auth import requires
from api.state import Plans
from labsys.companies.accounts import Account
from labsys.companies.models import Role
from labsys.planning.schemas import PlanCreate, PlanPublic

__all__ = ["PlanController"]

SignedIn = Request[Account, Token, Any]


class PlanController(Controller):
    """``/api/plans``: proposals of the planner, kept to be applied by id."""

    path = "/api/plans"
    tags = ["plans"]
    guards = [requires(Role.ADMIN)]

    @post("/", status_code=HTTP_201_CREATED, sync_to_thread=True)
    def propose_plan(self, data: JSONBody[PlanCreate], plan_service: Plans, request: SignedIn) -> PlanPublic:
        """Plan a lab week (``week``: ``2026-W49``) or ``[start, end)`` within ``time_limit_s`` seconds (1-60):
        the waiting bookings placed, moved, kept or listed unplaceable with the reason, promises broken before and
        after, and the solver's status and gap. Nothing changes until the plan is applied."""
        return plan_service.propose(data, by=request.user.actor)

    @get("/{plan_id:int}", sync_to_thread=True)
    def get_plan(self, plan_id: FromPath[int], plan_service: Plans) -> PlanPublic:
        """A plan proposed earlier, and whether it was applied."""
        return plan_service.get(plan_id)

    @post("/{plan_id:int}/apply", status_code=200, sync_to_thread=True)
    def apply_plan(self, plan_id: FromPath[int], plan_service: Plans, request: SignedIn) -> PlanPublic:
        """Apply a plan in one transaction, each placement judged again by the scheduling rules: 409 with the reason,
        and nothing changed, if it was applied already or the lab changed since it was made."""
        return plan_service.apply(plan_id, by=request.user.actor)

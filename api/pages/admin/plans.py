"""The lab manager's planner page: plan a week's waiting work, read the proposal as a diff, and apply it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.auth import requires
from api.pages.admin.words import admin_page
from api.pages.i18n import gettext as _
from api.pages.viewer import Person
from api.state import Plans
from labsys.companies.models import Role
from labsys.errors import Conflict
from labsys.planning.schemas import PlanCreate, PlanPublic
from labsys.weeks import iso_week

__all__ = ["PlanPages"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

#: The order the diff lists changes in: what moves first, what stays last.
_ORDER = {"moved": 0, "assigned": 1, "unplaceable": 2, "kept": 3}


def _next_week() -> str:
    return iso_week((datetime.now(UTC) + timedelta(days=7)).date())


def _plan_page(person: Person, plan: PlanPublic, *, status_code: int = 200, refusal: str | None = None) -> Template:
    changes = sorted(plan.changes, key=lambda c: (_ORDER[c.action], c.booking_id))
    return admin_page(
        "admin/plan.html",
        status_code=status_code,
        viewer=person,
        plan=plan,
        changes=[c for c in changes if c.action != "kept"],
        kept=sum(c.action == "kept" for c in changes),
        refusal=refusal,
    )


class PlanPages(Controller):
    """``/admin/plan``: the planner, for the lab manager."""

    path = "/admin/plan"
    guards = [requires(Role.ADMIN)]
    include_in_schema = False

    @get("/", sync_to_thread=False)
    def plan_form(self, person: Person, week: FromQuery[str | None] = None) -> Template:
        """The form that plans a week (``?week=2026-W49`` fills it in)."""
        return admin_page(
            "admin/plan_form.html",
            viewer=person,
            values={"week": week or _next_week(), "time_limit_s": "10"},
            error=None,
        )

    @post("/", sync_to_thread=True)
    def propose(self, person: Person, plan_service: Plans, data: Form) -> Redirect | Template:
        """Plan the week (the solver thinks for up to the time limit); on to the proposal."""
        values = {"week": data.get("week", "").strip(), "time_limit_s": data.get("time_limit_s", "10").strip()}
        try:
            plan_in = PlanCreate.model_validate(values)
        except ValidationError:
            error = _("Give an ISO week such as 2026-W49 and a time limit of 1 to 60 seconds.")
            return admin_page("admin/plan_form.html", status_code=422, viewer=person, values=values, error=error)
        plan = plan_service.propose(plan_in, by=person.actor)
        return Redirect(f"/admin/plan/{plan.id}", status_code=303)

    @get("/{plan_id:int}", sync_to_thread=True)
    def proposal(self, person: Person, plan_service: Plans, plan_id: FromPath[int]) -> Template:
        """The proposal as a diff: moved, assigned and unplaceable bookings, the figures, and the apply button."""
        return _plan_page(person, plan_service.get(plan_id))

    @post("/{plan_id:int}/apply", sync_to_thread=True)
    def apply(self, person: Person, plan_service: Plans, plan_id: FromPath[int]) -> Redirect | Template:
        """Apply the proposal in one transaction; if the lab changed since, say so and change nothing."""
        try:
            plan_service.apply(plan_id, by=person.actor)
        except Conflict as exc:
            return _plan_page(person, plan_service.get(plan_id), status_code=409, refusal=exc.detail)
        return Redirect(f"/admin/plan/{plan_id}", status_code=303)

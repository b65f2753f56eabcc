"""The admin's forms for an engineer's weekly shifts and leave, on the user's page (``/admin/users/{id}``)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect
from pydantic import ValidationError

from api.auth import requires
from api.pages.viewer import Person
from api.state import EngineerTime
from labsys.companies.models import Role
from labsys.errors import InvalidInput
from labsys.scheduling.schemas import LeaveCreate, ShiftsUpdate

__all__ = ["WEEKDAYS", "EngineerTimePages"]

#: The weekdays the shift form lists, Monday first (the value a shift stores).
WEEKDAYS = tuple(range(7))

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _problem(exc: ValidationError) -> str:
    return "; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors())


class EngineerTimePages(Controller):
    """``/admin/users/{id}/shifts`` and ``/leave``: set them as the JSON API does, then back to the user's page."""

    path = "/admin/users/{user_id:int}"
    guards = [requires(Role.ADMIN)]
    include_in_schema = False

    @post("/shifts", sync_to_thread=True)
    def set_shifts(
        self, user_id: FromPath[int], person: Person, engineer_time_service: EngineerTime, data: Form
    ) -> Redirect:
        """Replace the weekly shifts: a weekday with both times set is a shift; none at all is opening hours."""
        shifts = [
            {"weekday": day, "starts_at": data[f"starts_{day}"], "ends_at": data[f"ends_{day}"]}
            for day in WEEKDAYS
            if data.get(f"starts_{day}") and data.get(f"ends_{day}")
        ]
        try:
            update = ShiftsUpdate.model_validate({"shifts": shifts})
        except ValidationError as exc:
            raise InvalidInput("shifts", _problem(exc)) from exc
        engineer_time_service.set_shifts(user_id, update, by=person.actor)
        return Redirect(f"/admin/users/{user_id}#engineer-time", status_code=303)

    @post("/leave", sync_to_thread=True)
    def add_leave(
        self, user_id: FromPath[int], person: Person, engineer_time_service: EngineerTime, data: Form
    ) -> Redirect:
        """Record days off, first to last day inclusive, with the reason."""
        try:
            leave = LeaveCreate.model_validate(data)
        except ValidationError as exc:
            raise InvalidInput("leave", _problem(exc)) from exc
        engineer_time_service.add_leave(user_id, leave, by=person.actor)
        return Redirect(f"/admin/users/{user_id}#engineer-time", status_code=303)

    @post("/leave/{leave_id:int}/remove", sync_to_thread=True)
    def remove_leave(
        self, user_id: FromPath[int], leave_id: FromPath[int], person: Person, engineer_time_service: EngineerTime
    ) -> Redirect:
        """Cancel a stretch of leave."""
        engineer_time_service.remove_leave(user_id, leave_id, by=person.actor)
        return Redirect(f"/admin/users/{user_id}#engineer-time", status_code=303)

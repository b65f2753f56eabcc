"""Moving a booking to another time: the same calendar of free slots as a new booking, or the earliest one.

The move goes through the same service call as ``POST /api/bookings/{id}/reschedule``, under every rule of a new
booking; a rule's refusal shows the calendar again with the rule and a button that moves to the next free slot.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.auth import requires
from api.pages.customers.forms import field_errors
from api.pages.customers.refusals import Refusal, refusal_of
from api.pages.customers.slots import slot_calendar
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Bookings, LabSettings, Methods
from labsys.bookings.models import BookingPublic
from labsys.bookings.schemas import Reschedule
from labsys.bookings.service import BookingService
from labsys.companies.accounts import Account
from labsys.companies.models import STAFF_ROLES, Role
from labsys.errors import Conflict, RuleViolation
from labsys.methods.service import MethodService
from labsys.settings import Settings

__all__ = ["ReschedulePages"]

_customer_or_staff = requires(Role.CUSTOMER, *STAFF_ROLES)

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class _ReschedulePage:
    """The reschedule page of one person, with the free slots of the booking's test."""

    def __init__(self, viewer: Account, bookings: BookingService, methods: MethodService, settings: Settings) -> None:
        self._viewer = viewer
        self._bookings = bookings
        self._methods = methods
        self._zone = settings.zone

    def render(
        self,
        booking: BookingPublic,
        *,
        selected: str = "earliest",
        errors: dict[str, str] | None = None,
        refusal: Refusal | None = None,
        problem: str | None = None,
        status_code: int = 200,
    ) -> Template:
        calendar = slot_calendar(
            self._bookings, method=booking.method, viewer=self._viewer, zone=self._zone, selected=selected
        )
        return page(
            "customers/reschedule.html",
            status_code=status_code,
            viewer=self._viewer,
            booking=booking,
            method=self._methods.get_method(booking.method),
            calendar=calendar,
            errors=errors or {},
            refusal=refusal,
            problem=problem,
        )


class ReschedulePages(Controller):
    """``/bookings/{id}/reschedule``."""

    include_in_schema = False

    @get("/bookings/{booking_id:int}/reschedule", guards=[_customer_or_staff], sync_to_thread=True)
    def form(
        self,
        *,
        booking_id: FromPath[int],
        person: Person,
        booking_service: Bookings,
        method_service: Methods,
        settings: LabSettings,
    ) -> Template:
        """The calendar of free slots for the booking's test (another company's booking answers 404)."""
        booking = booking_service.get(booking_id, viewer=person)
        return _ReschedulePage(person, booking_service, method_service, settings).render(booking)

    @post("/bookings/{booking_id:int}/reschedule", guards=[_customer_or_staff], sync_to_thread=True)
    def reschedule(
        self,
        *,
        booking_id: FromPath[int],
        person: Person,
        data: Form,
        booking_service: Bookings,
        method_service: Methods,
        settings: LabSettings,
    ) -> Template | Redirect:
        """Move the booking to the chosen start; back to its page."""
        booking = booking_service.get(booking_id, viewer=person)
        selected = data.get("start", "earliest").strip() or "earliest"
        shown = _ReschedulePage(person, booking_service, method_service, settings)
        try:
            move = Reschedule.model_validate({"start": selected})
        except ValidationError as invalid:
            errors = field_errors(invalid, {"start"})
            return shown.render(booking, selected=selected, errors=errors, status_code=422)
        try:
            booking_service.reschedule(booking_id, move.start, by=person)
        except RuleViolation as violation:
            return shown.render(booking, selected=selected, refusal=refusal_of(violation), status_code=409)
        except Conflict as refused:
            return shown.render(booking, problem=refused.detail, status_code=409)
        return Redirect(f"/bookings/{booking_id}", status_code=303)

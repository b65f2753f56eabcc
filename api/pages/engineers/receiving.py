"""Receiving a booking's samples (engineer): each sample's condition on arrival, recorded as the API does."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY
from pydantic import ValidationError

from api.auth import requires
from api.pages.engineers.forms import field_errors
from api.pages.i18n import gettext as _
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Bookings
from labsys.bookings.models import BookingPublic, BookingStatus
from labsys.bookings.schemas import SampleReceipt
from labsys.companies.models import Role
from labsys.errors import Conflict, InvalidInput

__all__ = ["SampleReceiving"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _form(
    person: Person,
    booking: BookingPublic,
    *,
    conditions: dict[int, str] | None = None,
    errors: dict[int, str] | None = None,
    problem: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        "engineers/receive.html",
        status_code=status_code,
        viewer=person,
        booking=booking,
        receivable=booking.status == BookingStatus.CONFIRMED,
        conditions=conditions or {},
        errors=errors or {},
        problem=problem,
    )


class SampleReceiving(Controller):
    """``/bookings/{id}/receive``."""

    include_in_schema = False
    guards = [requires(Role.ENGINEER)]

    @get("/bookings/{booking_id:int}/receive", sync_to_thread=True)
    def form(self, booking_id: FromPath[int], person: Person, booking_service: Bookings) -> Template:
        """The booking's samples, each with a field for how it arrived."""
        return _form(person, booking_service.get(booking_id, viewer=person))

    @post("/bookings/{booking_id:int}/receive", sync_to_thread=True)
    def receive(
        self, booking_id: FromPath[int], person: Person, booking_service: Bookings, data: Form
    ) -> Redirect | Template:
        """Record every sample's condition: the booking becomes "samples received"; on to the booking's page."""
        booking = booking_service.get(booking_id, viewer=person)
        conditions = {s.id: data.get(f"condition-{s.id}", "").strip() for s in booking.samples}
        try:
            receipt = SampleReceipt.model_validate(
                {"samples": [{"sample_id": i, "condition": c} for i, c in conditions.items()]}
            )
            booking_service.receive(booking_id, receipt, by=person)
        except ValidationError as exc:
            ids = list(conditions)
            errors = {ids[int(loc[1])]: message for loc, message in field_errors(exc).items() if len(loc) == 3}
            return _form(
                person, booking, conditions=conditions, errors=errors, status_code=HTTP_422_UNPROCESSABLE_ENTITY
            )
        except InvalidInput as exc:
            problem = (_("Name every sample of the booking once."), exc.detail)
            return _form(
                person, booking, conditions=conditions, problem=problem, status_code=HTTP_422_UNPROCESSABLE_ENTITY
            )
        except Conflict as exc:
            problem = (_("The samples of this booking cannot be received now."), exc.detail)
            return _form(person, booking, conditions=conditions, problem=problem, status_code=HTTP_409_CONFLICT)
        return Redirect(f"/bookings/{booking_id}", status_code=HTTP_303_SEE_OTHER)

"""Free slots for a method: when the lab could run it, on which instruments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.security.jwt import Token

from api.state import Bookings
from api.statuses import ERRORS_OPT
from labsys.bookings.schemas import SlotPublic
from labsys.companies.accounts import Account

__all__ = ["AvailabilityController"]


class AvailabilityController(Controller):
    """``/api/availability``: every signed-in user may ask when a method can be booked."""

    path = "/api/availability"
    tags = ["bookings"]

    @get("/", sync_to_thread=True, opt={ERRORS_OPT: {404: "the lab offers no method with that code"}})
    def availability(
        self,
        booking_service: Bookings,
        request: Request[Account, Token, Any],
        method: FromQuery[str],
        start: FromQuery[datetime | None] = None,
        end: FromQuery[datetime | None] = None,
    ) -> list[SlotPublic]:
        """The free slots for ``method`` starting in ``[start, end)`` (default: the coming week), earliest first.

        A slot holds one instrument of every kind the method needs, all free together, on the lab's slot grid
        within opening hours, and obeys every booking rule for your company (notice, advance, weekly quota).
        """
        return booking_service.availability(method, viewer=request.user, start=start, end=end)

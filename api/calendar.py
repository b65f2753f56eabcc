"""The bookings as a calendar to subscribe to: each user's secret address, which needs no sign-in, and the user's
own management of it (make a new one, which replaces the old; revoke it)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath
from litestar.security.jwt import Token
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.state import Bookings, LabSettings
from labsys.bookings.models import CalendarFeedPublic
from labsys.companies.accounts import Account
from labsys.errors import NotFound

__all__ = ["CALENDAR_MEDIA_TYPE", "CalendarAddressController", "SecretCalendar"]

#: iCalendar's media type; Litestar adds ``; charset=utf-8`` to a text type itself, once.
CALENDAR_MEDIA_TYPE = "text/calendar"

_SUFFIX = ".ics"


class SecretCalendar(Controller):
    """``/calendar/<secret>.ics``: the feed a calendar application subscribes to, with no sign-in."""

    path = "/calendar"
    tags = ["bookings"]
    opt = {"exclude_from_auth": True}

    @get("/{address:str}", sync_to_thread=True, media_type=CALENDAR_MEDIA_TYPE)
    def feed(
        self, address: FromPath[str], booking_service: Bookings, settings: LabSettings, request: Request[Any, Any, Any]
    ) -> Response[bytes]:
        """The bookings of the user whose secret address this is, as they would see them signed in (their
        company's; staff: all). 404 for an address never made, replaced or revoked."""
        if not address.endswith(_SUFFIX):
            raise NotFound("a calendar address ends in .ics")
        feed = booking_service.calendar_of_secret(
            address.removesuffix(_SUFFIX), lab_name=settings.lab_name, host=request.url.hostname or "labsys"
        )
        return Response(
            feed,
            media_type=CALENDAR_MEDIA_TYPE,
            headers={"Cache-Control": "private, no-cache", "Referrer-Policy": "no-referrer"},
        )


class CalendarAddressController(Controller):
    """``/api/users/me/calendar-address``: the signed-in user's secret calendar address."""

    path = "/api/users/me/calendar-address"
    tags = ["users"]

    @post("/", status_code=HTTP_201_CREATED, sync_to_thread=True)
    def new_address(
        self, booking_service: Bookings, settings: LabSettings, request: Request[Account, Token, Any]
    ) -> Response[CalendarFeedPublic]:
        """Make your secret calendar address, shown this once (the lab keeps only its hash); the address you had
        before stops working."""
        made = booking_service.new_calendar_address(by=request.user, public_url=settings.public_url)
        return Response(made, status_code=HTTP_201_CREATED, headers={"Cache-Control": "no-store"})

    @delete("/", status_code=HTTP_204_NO_CONTENT, sync_to_thread=True)
    def revoke(self, booking_service: Bookings, request: Request[Account, Token, Any]) -> None:
        """Revoke your secret calendar address: it answers 404 from now on."""
        booking_service.revoke_calendar_address(by=request.user)

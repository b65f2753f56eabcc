"""Bookings: a customer books, confirms, reschedules and cancels; the lab receives samples or rejects.

A customer sees and touches only its own company's bookings (another company's id answers 404); staff see all.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.security.jwt import Token
from litestar.status_codes import HTTP_201_CREATED

from api.auth import requires, requires_staff
from api.calendar import CALENDAR_MEDIA_TYPE
from api.state import Bookings, LabSettings
from labsys.bookings.models import BookingCreate, BookingPublic, BookingsPublic, BookingStatus
from labsys.bookings.schemas import Rejection, Reschedule, SampleReceipt, SampleReleases
from labsys.bounds import DB_INT_MAX
from labsys.companies.accounts import Account
from labsys.companies.models import STAFF_ROLES, Role

__all__ = ["BookingController"]

_customer = requires(Role.CUSTOMER)
_customer_or_staff = requires(Role.CUSTOMER, *STAFF_ROLES)

SignedIn = Request[Account, Token, Any]


class BookingController(Controller):
    """``/api/bookings``: the lifecycle of a test request, each step by the role that owns it (audited)."""

    path = "/api/bookings"
    tags = ["bookings"]

    @post("/", guards=[_customer], status_code=HTTP_201_CREATED, sync_to_thread=True)
    def create_booking(
        self, data: JSONBody[BookingCreate], booking_service: Bookings, request: SignedIn
    ) -> BookingPublic:
        """Book a method for your samples at ``start`` (or ``"earliest"``): 201 with the quote.

        409 when a scheduling rule refuses the start: ``extra.rule`` names it, ``extra.next_slot`` is the next start
        that would work.
        """
        return booking_service.create(data, by=request.user)

    @get("/", sync_to_thread=True)
    def list_bookings(
        self,
        booking_service: Bookings,
        request: SignedIn,
        status: FromQuery[BookingStatus | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=DB_INT_MAX)] = 0,
    ) -> BookingsPublic:
        """Your company's bookings (staff: every company's), newest first."""
        return booking_service.list_bookings(viewer=request.user, status=status, limit=limit, offset=offset)

    @get("/calendar.ics", sync_to_thread=True, media_type=CALENDAR_MEDIA_TYPE)
    def calendar(self, booking_service: Bookings, settings: LabSettings, request: SignedIn) -> Response[bytes]:
        """Your company's bookings (staff: all) as an iCalendar feed. Calendar applications, which send no bearer
        token, subscribe to your secret address instead (``POST /api/users/me/calendar-address``)."""
        feed = booking_service.calendar(
            viewer=request.user, lab_name=settings.lab_name, host=request.url.hostname or "labsys"
        )
        return Response(feed, media_type=CALENDAR_MEDIA_TYPE)

    @get("/{booking_id:int}", sync_to_thread=True)
    def get_booking(self, booking_id: FromPath[int], booking_service: Bookings, request: SignedIn) -> BookingPublic:
        """One booking (another company's answers 404)."""
        return booking_service.get(booking_id, viewer=request.user)

    @post("/{booking_id:int}/confirm", guards=[_customer], status_code=200, sync_to_thread=True)
    def confirm(self, booking_id: FromPath[int], booking_service: Bookings, request: SignedIn) -> BookingPublic:
        """Accept the quote (customer): the booking becomes ``confirmed``."""
        return booking_service.confirm(booking_id, by=request.user)

    @post("/{booking_id:int}/cancel", guards=[_customer_or_staff], status_code=200, sync_to_thread=True)
    def cancel(self, booking_id: FromPath[int], booking_service: Bookings, request: SignedIn) -> BookingPublic:
        """Cancel before testing starts; the instrument time is free at once."""
        return booking_service.cancel(booking_id, by=request.user)

    @post("/{booking_id:int}/reschedule", guards=[_customer_or_staff], status_code=200, sync_to_thread=True)
    def reschedule(
        self, booking_id: FromPath[int], data: JSONBody[Reschedule], booking_service: Bookings, request: SignedIn
    ) -> BookingPublic:
        """Move the booking to ``start`` (or ``"earliest"``) under every rule of a new booking; 409 names the rule."""
        return booking_service.reschedule(booking_id, data.start, by=request.user)

    @post("/{booking_id:int}/receive", guards=[requires(Role.ENGINEER)], status_code=200, sync_to_thread=True)
    def receive(
        self, booking_id: FromPath[int], data: JSONBody[SampleReceipt], booking_service: Bookings, request: SignedIn
    ) -> BookingPublic:
        """Record each sample's condition on arrival (engineer): the booking becomes ``sample_received``."""
        return booking_service.receive(booking_id, data, by=request.user)

    @post("/{booking_id:int}/reject", guards=[requires_staff], status_code=200, sync_to_thread=True)
    def reject(
        self, booking_id: FromPath[int], data: JSONBody[Rejection], booking_service: Bookings, request: SignedIn
    ) -> BookingPublic:
        """Refuse the booking, with the reason (staff); the instrument time is free at once."""
        return booking_service.reject(booking_id, data.reason, by=request.user)

    @post("/{booking_id:int}/close", guards=[requires(Role.ENGINEER)], status_code=200, sync_to_thread=True)
    def close(
        self, booking_id: FromPath[int], data: JSONBody[SampleReleases], booking_service: Bookings, request: SignedIn
    ) -> BookingPublic:
        """Record what became of every sample after the report, returned or disposed of (engineer): the booking
        becomes ``closed``."""
        return booking_service.close(booking_id, data, by=request.user)

"""Bookings: a customer books, confirms, reschedules and cancels; the lab receives samples or rejects.

A customer sees and touches only its own company's bookings (another company's id answers 404); staff see all.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from api.auth import Principal, requires, requires_staff
from api.state import DB, lab_state
from labsys.bookings import queries, service
from labsys.bookings.calendar_feed import bookings_calendar
from labsys.bookings.intake import BookingRequest
from labsys.bookings.models import BookingStatus
from labsys.bookings.schemas import BookingCreate, BookingPublic, BookingsPublic, Rejection, Reschedule, SampleReceipt
from labsys.bookings.views import public_booking, public_bookings
from labsys.companies.models import STAFF_ROLES, Role
from labsys.db.types import utcnow
from labsys.errors import PermissionDenied
from labsys.scheduling import SchedulingPolicy, policy_for

__all__ = ["BookingController"]


_customer = requires(Role.CUSTOMER)
_customer_or_staff = requires(Role.CUSTOMER, *STAFF_ROLES)


def _policy(request: Request[Principal, Any, Any]) -> SchedulingPolicy:
    return policy_for(lab_state(request.app.state).settings)


def _own_company(principal: Principal) -> int:
    if principal.company_id is None:
        raise PermissionDenied("your account belongs to no company")
    return principal.company_id


def _scope(principal: Principal) -> int | None:
    """The company whose bookings the caller may touch: their own, or None (every company) for staff."""
    return None if principal.is_staff else _own_company(principal)


class BookingController(Controller):
    """``/api/bookings``: the lifecycle of a test request, each step by the role that owns it (audited)."""

    path = "/api/bookings"
    tags = ["bookings"]

    @post("/", guards=[_customer], responses={201: ResponseSpec(BookingPublic, description="The booking, quoted")})
    async def create_booking(
        self, data: JSONBody[BookingCreate], request: Request[Principal, Any, Any]
    ) -> Response[bytes]:
        """Book a method for your samples at ``start`` (or ``"earliest"``): 201 with the quote.

        409 when a scheduling rule refuses the start: ``extra.rule`` names it, ``extra.next_slot`` is the next start
        that would work.
        """
        principal = request.user
        booking = BookingRequest(
            booking_in=data,
            company_id=_own_company(principal),
            requested_by_id=principal.id,
            actor=principal.actor,
            now=utcnow(),
        )
        recorded = await lab_state(request.app.state).intake.book(booking)  # already the JSON body
        return Response(recorded, status_code=HTTP_201_CREATED, media_type=MediaType.JSON)

    @get("/", sync_to_thread=True)
    def list_bookings(
        self,
        db: DB,
        request: Request[Principal, Any, Any],
        status: FromQuery[BookingStatus | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> BookingsPublic:
        """Your company's bookings (staff: every company's), newest first."""
        bookings, count = queries.list_bookings(
            session=db, company_id=_scope(request.user), status=status, limit=limit, offset=offset
        )
        policy = _policy(request)
        return BookingsPublic(data=public_bookings(session=db, bookings=bookings, policy=policy), count=count)

    @get("/calendar.ics", sync_to_thread=True, media_type="text/calendar")
    def calendar(self, db: DB, request: Request[Principal, Any, Any]) -> Response[bytes]:
        """Your company's bookings (staff: all) as an iCalendar feed."""
        settings = lab_state(request.app.state).settings
        feed = bookings_calendar(
            session=db,
            company_id=_scope(request.user),
            policy=policy_for(settings),
            lab_name=settings.lab_name,
            host=request.url.hostname or "labsys",
            now=utcnow(),
        )
        return Response(feed, media_type="text/calendar; charset=utf-8")

    @get("/{booking_id:int}", sync_to_thread=True)
    def get_booking(self, booking_id: FromPath[int], db: DB, request: Request[Principal, Any, Any]) -> BookingPublic:
        """One booking (another company's answers 404)."""
        booking = queries.get_booking(session=db, booking_id=booking_id, company_id=_scope(request.user))
        return public_booking(session=db, booking=booking, policy=_policy(request))

    @post("/{booking_id:int}/confirm", guards=[_customer], status_code=200, sync_to_thread=True)
    def confirm(self, booking_id: FromPath[int], db: DB, request: Request[Principal, Any, Any]) -> BookingPublic:
        """Accept the quote (customer): the booking becomes ``confirmed``."""
        booking = service.confirm_booking(
            session=db, booking_id=booking_id, company_id=_scope(request.user), actor=request.user.actor
        )
        return public_booking(session=db, booking=booking, policy=_policy(request))

    @post("/{booking_id:int}/cancel", guards=[_customer_or_staff], status_code=200, sync_to_thread=True)
    def cancel(self, booking_id: FromPath[int], db: DB, request: Request[Principal, Any, Any]) -> BookingPublic:
        """Cancel before testing starts; the instrument time is free at once."""
        booking = service.cancel_booking(
            session=db, booking_id=booking_id, company_id=_scope(request.user), actor=request.user.actor
        )
        return public_booking(session=db, booking=booking, policy=_policy(request))

    @post("/{booking_id:int}/reschedule", guards=[_customer_or_staff], status_code=200, sync_to_thread=True)
    def reschedule(
        self, booking_id: FromPath[int], data: JSONBody[Reschedule], db: DB, request: Request[Principal, Any, Any]
    ) -> BookingPublic:
        """Move the booking to ``start`` (or ``"earliest"``) under every rule of a new booking; 409 names the rule."""
        policy = _policy(request)
        booking = service.reschedule_booking(
            session=db,
            booking_id=booking_id,
            start=data.start,
            company_id=_scope(request.user),
            actor=request.user.actor,
            policy=policy,
            now=utcnow(),
        )
        return public_booking(session=db, booking=booking, policy=policy)

    @post("/{booking_id:int}/receive", guards=[requires(Role.ENGINEER)], status_code=200, sync_to_thread=True)
    def receive(
        self, booking_id: FromPath[int], data: JSONBody[SampleReceipt], db: DB, request: Request[Principal, Any, Any]
    ) -> BookingPublic:
        """Record each sample's condition on arrival (engineer): the booking becomes ``sample_received``."""
        booking = service.receive_samples(
            session=db, booking_id=booking_id, receipt=data, received_by_id=request.user.id, actor=request.user.actor
        )
        return public_booking(session=db, booking=booking, policy=_policy(request))

    @post("/{booking_id:int}/reject", guards=[requires_staff], status_code=200, sync_to_thread=True)
    def reject(
        self, booking_id: FromPath[int], data: JSONBody[Rejection], db: DB, request: Request[Principal, Any, Any]
    ) -> BookingPublic:
        """Refuse the booking, with the reason (staff); the instrument time is free at once."""
        booking = service.reject_booking(
            session=db, booking_id=booking_id, reason=data.reason, actor=request.user.actor
        )
        return public_booking(session=db, booking=booking, policy=_policy(request))

"""Booking a test: choose the method, describe the samples, the urgency and the three parties, and pick a free
slot on the calendar of the coming weeks (or the earliest one); the booking is quoted at once.

The booking goes through the same service call as ``POST /api/bookings``. A rule's refusal shows the form again
with the rule in the page's language, the service's detail, and a button that books the next free slot.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.auth import requires
from api.pages.customers.booking_draft import MAX_SAMPLE_ROWS, BookingDraft
from api.pages.customers.forms import field_errors
from api.pages.customers.refusals import Refusal, refusal_of
from api.pages.customers.slots import slot_calendar
from api.pages.i18n import gettext as _
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Accounts, Bookings, LabSettings, Methods
from labsys.bookings.models import BookingCreate
from labsys.bookings.service import BookingService
from labsys.companies.accounts import Account
from labsys.companies.models import Role
from labsys.errors import NotFound, RuleViolation
from labsys.methods.models import TestMethodPublic
from labsys.settings import Settings

__all__ = ["BookingForm"]

_customer = requires(Role.CUSTOMER)

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class BookingForm(Controller):
    """``/bookings/new`` and the calendar of free slots it shows (``/bookings/new/slots``)."""

    include_in_schema = False

    @get("/bookings/new", guards=[_customer], sync_to_thread=True)
    def form(
        self,
        *,
        person: Person,
        account_service: Accounts,
        method_service: Methods,
        booking_service: Bookings,
        settings: LabSettings,
        method: FromQuery[str | None] = None,
    ) -> Template:
        """The booking form, with ``method`` chosen if it is in the catalog."""
        methods = method_service.list_methods()
        chosen = method if method in {m.code for m in methods} else ""
        company = account_service.get_company(person.company_id or 0, viewer=person)
        draft = BookingDraft.for_company(company, chosen)
        view = _FormView(methods, booking_service, settings, person)
        return view.render(draft)

    @get("/bookings/new/slots", sync_to_thread=True)
    def slots(
        self, person: Person, booking_service: Bookings, settings: LabSettings, method: FromQuery[str] = ""
    ) -> Template:
        """The calendar of free slots of ``method`` (a fragment the form swaps in when the method changes)."""
        try:
            calendar = slot_calendar(booking_service, method=method, viewer=person, zone=settings.zone)
        except NotFound:
            calendar = slot_calendar(booking_service, method="", viewer=person, zone=settings.zone)
        return page("customers/_slots.html", calendar=calendar)

    @get("/bookings/new/sample-row", guards=[_customer])
    async def sample_row(self, index: FromQuery[int] = 1) -> Template:
        """An empty sample row for the form (a fragment added below the others), and the button for the next."""
        index = min(max(index, 0), MAX_SAMPLE_ROWS - 1)
        blank = BookingDraft().sample_rows()[0]
        return page("customers/_sample_added.html", index=index, sample=blank, errors={}, max_rows=MAX_SAMPLE_ROWS)

    @post("/bookings/new", guards=[_customer], sync_to_thread=True)
    def book(
        self,
        *,
        person: Person,
        data: Form,
        method_service: Methods,
        booking_service: Bookings,
        settings: LabSettings,
    ) -> Template | Redirect:
        """Book and quote the test; on to the booking's page, where the quote waits to be confirmed."""
        draft = BookingDraft.posted(data)
        view = _FormView(method_service.list_methods(), booking_service, settings, person)
        try:
            booking_in = BookingCreate.model_validate(draft.request())
        except ValidationError as invalid:
            return view.render(draft, errors=field_errors(invalid, draft.field_names()), status_code=422)
        try:
            booking = booking_service.create(booking_in, by=person)
        except RuleViolation as violation:
            return view.render(draft, refusal=refusal_of(violation), status_code=409)
        except NotFound:
            return view.render(draft, errors={"method": _("Choose a test from the catalog.")}, status_code=422)
        return Redirect(f"/bookings/{booking.id}", status_code=303)


class _FormView:
    """The booking form page for one person, with the catalog and the free slots of the chosen method."""

    def __init__(
        self, methods: list[TestMethodPublic], bookings: BookingService, settings: Settings, person: Account
    ) -> None:
        self._methods = methods
        self._bookings = bookings
        self._settings = settings
        self._person = person

    def render(
        self,
        draft: BookingDraft,
        *,
        errors: dict[str, str] | None = None,
        refusal: Refusal | None = None,
        status_code: int = 200,
    ) -> Template:
        known = draft.method in {m.code for m in self._methods}
        calendar = slot_calendar(
            self._bookings,
            method=draft.method if known else "",
            viewer=self._person,
            zone=self._settings.zone,
            selected=draft.start,
        )
        return page(
            "customers/booking_new.html",
            status_code=status_code,
            viewer=self._person,
            methods=self._methods,
            draft=draft,
            calendar=calendar,
            errors=errors or {},
            refusal=refusal,
            max_rows=MAX_SAMPLE_ROWS,
        )

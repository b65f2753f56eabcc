"""A company's bookings: the list, newest first (staff see every company's), and each booking's page with its
timeline, quote, slot, samples, runs and reports, and the steps its viewer may take (confirm, cancel, reschedule;
for the lab's staff, links to their own pages).

Every step goes through the same service call as its ``/api/bookings`` twin; a step the booking's state does not
allow shows the booking again with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.auth import requires
from api.pages.customers.timeline import timeline
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Bookings, Certificates, Methods, Reviews, Runs
from labsys.bookings.lifecycle import NEXT_STATUSES
from labsys.bookings.models import BookingPublic, BookingStatus
from labsys.bookings.progress import READY_FOR_TESTING
from labsys.bookings.service import BookingService
from labsys.bookings.steps import RESCHEDULABLE
from labsys.bounds import DB_INT_MAX
from labsys.certificates.service import CertificateService
from labsys.companies.accounts import Account
from labsys.companies.models import STAFF_ROLES, Role
from labsys.errors import Conflict
from labsys.methods.service import MethodService
from labsys.runs.models import RunPublic, RunStatus
from labsys.runs.service import RunService

__all__ = ["BookingPages"]

#: Bookings per page of the list.
PAGE_SIZE = 25

#: A run in one of these states has ended: its data file may be downloaded and plotted.
ENDED = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.ABORTED, RunStatus.INTERRUPTED})

_customer = requires(Role.CUSTOMER)
_customer_or_staff = requires(Role.CUSTOMER, *STAFF_ROLES)
_engineer = requires(Role.ENGINEER)


@dataclass(frozen=True)
class RunRow:
    """A run of the booking as its page lists it: the run, its sample's label, and whether its data can be had."""

    run: RunPublic
    sample: str
    has_data: bool


@dataclass(frozen=True)
class Steps:
    """What the viewer may do with the booking now: a customer's steps, or links to a staff member's pages."""

    confirm: bool = False
    cancel: bool = False
    reschedule: bool = False
    receive: bool = False
    start_run: bool = False
    submit_for_review: bool = False
    review: bool = False


def _steps(viewer: Account, status: BookingStatus) -> Steps:
    if viewer.role is Role.CUSTOMER:
        return Steps(
            confirm=status is BookingStatus.QUOTED,
            cancel=BookingStatus.CANCELLED in NEXT_STATUSES[status],
            reschedule=status in RESCHEDULABLE,
        )
    return Steps(
        receive=viewer.role is Role.ENGINEER and status is BookingStatus.CONFIRMED,
        start_run=viewer.role is Role.ENGINEER and status in READY_FOR_TESTING,
        submit_for_review=viewer.role is Role.ENGINEER and status is BookingStatus.TESTING,
        review=viewer.role is Role.REVIEWER and status is BookingStatus.IN_REVIEW,
    )


def booking_page(
    booking: BookingPublic,
    *,
    viewer: Account,
    methods: MethodService,
    runs: RunService,
    certificates: CertificateService,
    problem: str | None = None,
    status_code: int = 200,
) -> Template:
    """The page of ``booking`` as ``viewer`` sees it, with ``problem`` (why a step just failed) above it."""
    labels = {sample.id: sample.label for sample in booking.samples}
    found = sorted(runs.list_runs(viewer=viewer, booking_id=booking.id), key=lambda run: run.id)
    rows = [RunRow(run, labels.get(run.sample_id, ""), run.status in ENDED and bool(run.hdf5_sha256)) for run in found]
    issued = certificates.list_certificates(viewer=viewer, booking_id=booking.id).data
    return page(
        "customers/booking.html",
        status_code=status_code,
        viewer=viewer,
        booking=booking,
        method=methods.get_method(booking.method),
        timeline=timeline(booking, found, issued),
        runs=rows,
        certificates=issued,
        steps=_steps(viewer, booking.status),
        problem=problem,
    )


def _take_step(
    step: Callable[[], object],
    *,
    booking_id: int,
    person: Account,
    booking_service: BookingService,
    methods: MethodService,
    runs: RunService,
    certificates: CertificateService,
) -> Template | Redirect:
    """Take ``step``, then back to the booking's page; a step its state refuses shows the page with the reason."""
    try:
        step()
    except Conflict as refused:
        booking = booking_service.get(booking_id, viewer=person)
        return booking_page(
            booking, viewer=person, methods=methods, runs=runs, certificates=certificates,
            problem=refused.detail, status_code=409,
        )  # fmt: skip
    return Redirect(f"/bookings/{booking_id}", status_code=303)


class BookingPages(Controller):
    """``/bookings``, ``/bookings/{id}`` and the customer's steps ``confirm`` and ``cancel``."""

    include_in_schema = False

    @get("/bookings", sync_to_thread=True)
    def bookings(self, person: Person, booking_service: Bookings, page_number: FromQuery[int] = 1) -> Template:
        """The bookings the person may see, newest first, a page at a time."""
        number = min(max(page_number, 1), DB_INT_MAX)  # past the last page is an empty page, never an error
        found = booking_service.list_bookings(viewer=person, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        pages = max((found.count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        return page("customers/bookings.html", viewer=person, bookings=found.data, number=number, pages=pages)

    @get("/bookings/{booking_id:int}", sync_to_thread=True)
    def booking(
        self,
        *,
        booking_id: FromPath[int],
        person: Person,
        booking_service: Bookings,
        method_service: Methods,
        run_service: Runs,
        certificate_service: Certificates,
    ) -> Template:
        """One booking (another company's answers 404)."""
        booking = booking_service.get(booking_id, viewer=person)
        return booking_page(
            booking, viewer=person, methods=method_service, runs=run_service, certificates=certificate_service
        )

    @post("/bookings/{booking_id:int}/confirm", guards=[_customer], sync_to_thread=True)
    def confirm(
        self,
        *,
        booking_id: FromPath[int],
        person: Person,
        booking_service: Bookings,
        method_service: Methods,
        run_service: Runs,
        certificate_service: Certificates,
    ) -> Template | Redirect:
        """Accept the quote: the booking becomes confirmed."""
        return _take_step(
            lambda: booking_service.confirm(booking_id, by=person),
            booking_id=booking_id, person=person, booking_service=booking_service,
            methods=method_service, runs=run_service, certificates=certificate_service,
        )  # fmt: skip

    @post("/bookings/{booking_id:int}/cancel", guards=[_customer_or_staff], sync_to_thread=True)
    def cancel(
        self,
        *,
        booking_id: FromPath[int],
        person: Person,
        booking_service: Bookings,
        method_service: Methods,
        run_service: Runs,
        certificate_service: Certificates,
    ) -> Template | Redirect:
        """Cancel the booking before testing starts; its instrument time is free at once."""
        return _take_step(
            lambda: booking_service.cancel(booking_id, by=person),
            booking_id=booking_id, person=person, booking_service=booking_service,
            methods=method_service, runs=run_service, certificates=certificate_service,
        )  # fmt: skip

    @post("/bookings/{booking_id:int}/submit-for-review", guards=[_engineer], sync_to_thread=True)
    def submit_for_review(
        self,
        *,
        booking_id: FromPath[int],
        person: Person,
        booking_service: Bookings,
        review_service: Reviews,
        method_service: Methods,
        run_service: Runs,
        certificate_service: Certificates,
    ) -> Template | Redirect:
        """The engineer hands the booking's completed runs to a reviewer (refused while a run is still open)."""
        return _take_step(
            lambda: review_service.submit(booking_id, by=person),
            booking_id=booking_id, person=person, booking_service=booking_service,
            methods=method_service, runs=run_service, certificates=certificate_service,
        )  # fmt: skip

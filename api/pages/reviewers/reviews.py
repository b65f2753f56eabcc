"""The reviewer's pages: the queue of bookings in review, and one booking's review: its runs, plots, results and
verdicts; approve it (which issues the certificate) or send it back to testing with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.auth import requires
from api.pages.certificates.forms import field_errors, reason_of
from api.pages.certificates.words import WORDS, refusal
from api.pages.i18n import gettext as _
from api.pages.rendering import page
from api.pages.reviewers.review_sheet import review_sheet
from api.pages.viewer import Person
from api.state import Bookings, Certificates, Methods, Reviews, Runs
from api.statuses import status_for
from labsys.bookings.models import BookingStatus
from labsys.bookings.service import BookingService
from labsys.certificates.models import CertificateCreate
from labsys.certificates.schemas import ReviewSendBack
from labsys.companies.accounts import Account
from labsys.companies.models import Role
from labsys.errors import Conflict, InvalidInput, LabError, PermissionDenied
from labsys.methods.service import MethodService
from labsys.runs.service import RunService

__all__ = ["ReviewPages"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

#: A run's checkbox on the approval form is named ``run-<id>``.
_RUN_FIELD = "run-"


def _chosen_runs(data: dict[str, str]) -> list[int]:
    return [int(key.removeprefix(_RUN_FIELD)) for key in data if key.startswith(_RUN_FIELD) and key[4:].isdigit()]


class ReviewPages(Controller):
    """``/reviews``: reviewers only."""

    include_in_schema = False
    guards = [requires(Role.REVIEWER)]

    @get("/reviews", sync_to_thread=True)
    def queue(self, person: Person, review_service: Reviews, sent_back: FromQuery[int | None] = None) -> Template:
        """The bookings in review, the longest waiting first."""
        waiting = review_service.queue().data
        return page("reviewers/queue.html", viewer=person, queue=waiting, sent_back=sent_back, words=WORDS)

    @get("/reviews/{booking_id:int}", sync_to_thread=True)
    def review(
        self,
        booking_id: FromPath[int],
        person: Person,
        booking_service: Bookings,
        run_service: Runs,
        method_service: Methods,
    ) -> Template:
        """A booking's runs with their plots, results and verdicts, and the forms to approve or send back."""
        return _Review(booking_service, run_service, method_service).page(booking_id, person)

    @post("/reviews/{booking_id:int}/approve", sync_to_thread=True)
    def approve(
        self,
        *,
        booking_id: FromPath[int],
        data: Form,
        person: Person,
        certificate_service: Certificates,
        booking_service: Bookings,
        run_service: Runs,
        method_service: Methods,
    ) -> Redirect | Template:
        """Approve the chosen runs: the signed certificate is issued at once; on to its page."""
        review = _Review(booking_service, run_service, method_service)
        chosen = _chosen_runs(data)
        try:
            request = CertificateCreate(booking=booking_id, runs=chosen)
        except ValidationError as exc:
            errors = field_errors(exc, {"runs": _("Choose at least one run for the certificate to state.")})
            return review.page(booking_id, person, errors, chosen=set(chosen))
        try:
            certificate = certificate_service.issue(request, by=person)
        except InvalidInput as exc:
            errors = {exc.field: _("These runs cannot be reported: %(detail)s", detail=exc.detail)}
            return review.page(booking_id, person, errors, chosen=set(chosen))
        except (PermissionDenied, Conflict) as exc:
            return review.page(booking_id, person, refused=exc, chosen=set(chosen))
        return Redirect(f"/certificates/{certificate.number}", status_code=303)

    @post("/reviews/{booking_id:int}/send-back", sync_to_thread=True)
    def send_back(
        self,
        *,
        booking_id: FromPath[int],
        data: Form,
        person: Person,
        review_service: Reviews,
        booking_service: Bookings,
        run_service: Runs,
        method_service: Methods,
    ) -> Redirect | Template:
        """Send the runs back to testing with the reason; back to the queue."""
        review = _Review(booking_service, run_service, method_service)
        reason = reason_of(data)
        try:
            ReviewSendBack(reason=reason)
            review_service.send_back(booking_id, reason, by=person)
        except ValidationError as exc:
            errors = field_errors(exc, {"reason": _("Say why the runs go back to testing.")})
            return review.page(booking_id, person, errors, reason=reason)
        except InvalidInput as exc:
            errors = {exc.field: _("Say why the runs go back to testing.")}
            return review.page(booking_id, person, errors, reason=reason)
        except (PermissionDenied, Conflict) as exc:
            return review.page(booking_id, person, refused=exc, reason=reason)
        return Redirect(f"/reviews?sent_back={booking_id}", status_code=303)


@dataclass(frozen=True)
class _Review:
    """The services a review page reads."""

    bookings: BookingService
    runs: RunService
    methods: MethodService

    def page(
        self,
        booking_id: int,
        person: Account,
        errors: dict[str, str] | None = None,
        *,
        refused: LabError | None = None,
        chosen: set[int] | None = None,
        reason: str = "",
    ) -> Template:
        """The review page; after a refused form, with the errors next to the fields or the refusal on top."""
        booking = self.bookings.get(booking_id, viewer=person)
        method = self.methods.get_method(booking.method)
        sheet = review_sheet(booking, method, self.runs.list_runs(viewer=person, booking_id=booking_id))
        status = 422 if errors else 200
        return page(
            "reviewers/review.html",
            status_code=status_for(refused) if refused else status,
            viewer=person,
            booking=booking,
            method=method,
            sheet=sheet,
            in_review=booking.status == BookingStatus.IN_REVIEW,
            errors=errors or {},
            refusal=refusal(refused) if refused else None,
            refusal_detail=refused.detail if refused else "",
            chosen=chosen if chosen is not None else {s.run.id for s in sheet.reportable},
            reason=reason,
            words=WORDS,
        )

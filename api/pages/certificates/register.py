"""The certificate register as pages: the list, a certificate with its history and PDF, and for reviewers the
forms that amend it (a new signed revision) or revoke it (after a confirmation)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import File, Redirect, Template
from pydantic import ValidationError

from api.auth import requires
from api.certificates import pdf_download
from api.pages.certificates.forms import field_errors, reason_of
from api.pages.certificates.words import WORDS, refusal
from api.pages.i18n import gettext as _
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Certificates
from api.statuses import status_for
from labsys.bounds import DB_INT_MAX
from labsys.certificates.models import CertificateStatus
from labsys.certificates.schemas import CertificateAmend, CertificateRevoke
from labsys.certificates.service import CertificateService
from labsys.companies.accounts import Account
from labsys.companies.models import Role
from labsys.errors import Conflict, InvalidInput, LabError, PermissionDenied

__all__ = ["CertificatePages"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

_reviewer = requires(Role.REVIEWER)


class CertificatePages(Controller):
    """``/certificates``: owners see their company's, staff see every one; reviewers amend and revoke."""

    include_in_schema = False

    @get("/certificates", sync_to_thread=True)
    def certificates(
        self,
        person: Person,
        certificate_service: Certificates,
        booking: Annotated[int | None, QueryParameter(ge=1, le=DB_INT_MAX)] = None,
    ) -> Template:
        """The certificates the person may see, newest first (of one booking, if asked)."""
        found = certificate_service.list_certificates(viewer=person, booking_id=booking)
        return page("certificates/list.html", viewer=person, certificates=found.data, booking=booking, words=WORDS)

    @get("/certificates/{number:str}", sync_to_thread=True)
    def certificate(self, number: FromPath[str], person: Person, certificate_service: Certificates) -> Template:
        """A certificate: its facts, its history, its PDF; for reviewers, amend and revoke."""
        return _certificate_page(certificate_service, number, person)

    @get("/certificates/{number:str}/pdf", sync_to_thread=True, media_type="application/pdf")
    def pdf(self, number: FromPath[str], person: Person, certificate_service: Certificates) -> File:
        """The signed PDF exactly as issued, as a download."""
        return pdf_download(number, certificate_service.pdf(number, viewer=person))

    @post("/certificates/{number:str}/amend", guards=[_reviewer], sync_to_thread=True)
    def amend(
        self, number: FromPath[str], data: Form, person: Person, certificate_service: Certificates
    ) -> Redirect | Template:
        """Issue a revision that supersedes the certificate, with the reason; on to the revision's page."""
        reason = reason_of(data)
        typed = {"amend": reason}
        try:
            CertificateAmend(reason=reason)
            amended = certificate_service.amend(number, reason, None, by=person)
        except ValidationError as exc:
            errors = _reason_errors(exc, "amend", _("Say what the revision corrects."))
            return _certificate_page(certificate_service, number, person, errors=errors, typed=typed)
        except (PermissionDenied, Conflict, InvalidInput) as exc:
            return _certificate_page(certificate_service, number, person, refused=exc, typed=typed)
        return Redirect(f"/certificates/{amended.number}", status_code=303)

    @post("/certificates/{number:str}/revoke", guards=[_reviewer], sync_to_thread=True)
    def revoke(
        self, number: FromPath[str], data: Form, person: Person, certificate_service: Certificates
    ) -> Redirect | Template:
        """Revoke the certificate with the reason, once the reviewer has confirmed it on a second page."""
        reason = reason_of(data)
        typed = {"revoke": reason}
        try:
            CertificateRevoke(reason=reason)
        except ValidationError as exc:
            errors = _reason_errors(exc, "revoke", _("Say why the certificate is revoked."))
            return _certificate_page(certificate_service, number, person, errors=errors, typed=typed)
        if data.get("confirmed") != "yes":
            certificate = certificate_service.get(number, viewer=person)
            return page("certificates/revoke.html", viewer=person, certificate=certificate, reason=reason)
        try:
            certificate_service.revoke(number, reason, by=person)
        except (PermissionDenied, Conflict) as exc:
            return _certificate_page(certificate_service, number, person, refused=exc, typed=typed)
        return Redirect(f"/certificates/{number}", status_code=303)


def _reason_errors(error: ValidationError, form: str, required: str) -> dict[str, str]:
    """The reason's error, filed under the form it came from (the page has two reasons)."""
    return dict.fromkeys([form], field_errors(error, {"reason": required})["reason"])


def _certificate_page(
    certificate_service: CertificateService,
    number: str,
    person: Account,
    *,
    errors: dict[str, str] | None = None,
    refused: LabError | None = None,
    typed: dict[str, str] | None = None,
) -> Template:
    """The certificate's page; after a refused form, with the error next to its reason or the refusal on top."""
    certificate = certificate_service.get(number, viewer=person)
    history = certificate_service.list_certificates(viewer=person, booking_id=certificate.booking).data
    status = 422 if errors else 200
    return page(
        "certificates/certificate.html",
        status_code=status_for(refused) if refused else status,
        viewer=person,
        certificate=certificate,
        history=sorted(history, key=lambda entry: (entry.issued_at, entry.number)),
        may_change=person.role == Role.REVIEWER and certificate.status == CertificateStatus.ISSUED,
        errors=errors or {},
        typed=typed or {},
        refusal=refusal(refused) if refused else None,
        refusal_detail=refused.detail if refused else "",
        words=WORDS,
    )

"""Certificates: reviewers issue, amend and revoke them; owners and staff list and download them."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import File
from litestar.security.jwt import Token

from api.auth import requires
from api.runs import SHA256_HEADER
from api.state import Certificates
from labsys.bounds import DB_INT_MAX
from labsys.certificates.models import CertificateCreate, CertificatePublic, CertificatesPublic
from labsys.certificates.schemas import CertificateAmend, CertificateRevoke
from labsys.certificates.service import StoredPdf
from labsys.companies.accounts import Account
from labsys.companies.models import Role

__all__ = ["CertificateController", "pdf_download"]

_reviewer = requires(Role.REVIEWER)

SignedIn = Request[Account, Token, Any]


def pdf_download(number: str, stored: StoredPdf) -> File:
    """A certificate's signed PDF as a download named after its number, its SHA-256 in ``X-Content-SHA256``."""
    return File(
        stored.path, filename=f"{number}.pdf", media_type="application/pdf",
        headers={"X-Content-SHA256": stored.sha256},
    )  # fmt: skip


class CertificateController(Controller):
    """``/api/certificates``."""

    path = "/api/certificates"
    tags = ["certificates"]

    @post("/", guards=[_reviewer], sync_to_thread=True)
    def issue(
        self, data: JSONBody[CertificateCreate], certificate_service: Certificates, request: SignedIn
    ) -> CertificatePublic:
        """Approve a booking in review by issuing its signed certificate over the listed completed runs (201).

        A second person approves: the reviewer must be qualified for the method and must not have run any of the
        runs (403 with the reason). The booking becomes ``reported``.
        """
        return certificate_service.issue(data, by=request.user)

    @get("/", sync_to_thread=True)
    def list_certificates(
        self,
        certificate_service: Certificates,
        request: SignedIn,
        booking: Annotated[
            int | None, QueryParameter(ge=1, le=DB_INT_MAX, description="only this booking's certificates")
        ] = None,
    ) -> CertificatesPublic:
        """The certificates the caller may see (a customer: their company's), newest first."""
        return certificate_service.list_certificates(viewer=request.user, booking_id=booking)

    @get("/{number:str}", sync_to_thread=True)
    def get_certificate(
        self, number: FromPath[str], certificate_service: Certificates, request: SignedIn
    ) -> CertificatePublic:
        """A certificate's register entry (another company's answers 404)."""
        return certificate_service.get(number, viewer=request.user)

    @get(
        "/{number:str}/pdf",
        sync_to_thread=True,
        media_type="application/pdf",
        content_media_type="application/pdf",
        response_headers=[SHA256_HEADER],
    )
    def download_pdf(self, number: FromPath[str], certificate_service: Certificates, request: SignedIn) -> File:
        """The signed PDF exactly as issued (superseded and revoked ones too); SHA-256 in ``X-Content-SHA256``."""
        return pdf_download(number, certificate_service.pdf(number, viewer=request.user))

    @post("/{number:str}/amend", guards=[_reviewer], sync_to_thread=True)
    def amend(
        self,
        number: FromPath[str],
        data: JSONBody[CertificateAmend],
        certificate_service: Certificates,
        request: SignedIn,
    ) -> CertificatePublic:
        """Issue an amendment ``<number>-R<n>`` that names and supersedes this certificate (201; 409 if it no longer
        stands)."""
        return certificate_service.amend(number, data.reason, data.runs, by=request.user)

    @post("/{number:str}/revoke", guards=[_reviewer], status_code=200, sync_to_thread=True)
    def revoke(
        self,
        number: FromPath[str],
        data: JSONBody[CertificateRevoke],
        certificate_service: Certificates,
        request: SignedIn,
    ) -> CertificatePublic:
        """Revoke a certificate: it verifies as revoked with the reason; its document stays downloadable."""
        return certificate_service.revoke(number, data.reason, by=request.user)

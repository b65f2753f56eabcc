"""Certificates: reviewers issue, amend and revoke them; owners and staff list and download them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import File

from api.auth import Principal, requires
from api.state import DB, lab_state
from labsys.certificates import queries, service
from labsys.certificates.schemas import (
    CertificateAmend,
    CertificateCreate,
    CertificatePublic,
    CertificateRevoke,
    CertificatesPublic,
)
from labsys.certificates.storage import stored_pdf
from labsys.certificates.views import describe_certificate
from labsys.companies.models import Role
from labsys.companies.service import get_user
from labsys.runs.service import Viewer
from labsys.settings import Settings

__all__ = ["CertificateController"]

_reviewer = requires(Role.REVIEWER)


def _viewer(request: Request[Principal, Any, Any]) -> Viewer:
    return Viewer(is_staff=request.user.is_staff, company_id=request.user.company_id)


def _settings(request: Request[Principal, Any, Any]) -> Settings:
    return lab_state(request.app.state).settings


class CertificateController(Controller):
    """``/api/certificates``."""

    path = "/api/certificates"
    tags = ["certificates"]

    @post("/", guards=[_reviewer], sync_to_thread=True)
    def issue(
        self, data: JSONBody[CertificateCreate], db: DB, request: Request[Principal, Any, Any]
    ) -> CertificatePublic:
        """Approve a booking in review by issuing its signed certificate over the listed completed runs (201).

        A second person approves: the reviewer must be qualified for the method and must not have run any of the
        runs (403 with the reason). The booking becomes ``reported``.
        """
        settings = _settings(request)
        certificate = service.issue_certificate(
            session=db,
            settings=settings,
            booking_id=data.booking,
            run_ids=data.runs,
            reviewer=get_user(session=db, user_id=request.user.id),
            actor=request.user.actor,
        )
        return describe_certificate(db, certificate, settings)

    @get("/", sync_to_thread=True)
    def list_certificates(
        self, db: DB, request: Request[Principal, Any, Any], booking: FromQuery[int | None] = None
    ) -> CertificatesPublic:
        """The certificates the caller may see (a customer: their company's), newest first."""
        found = queries.list_certificates(session=db, viewer=_viewer(request), booking_id=booking)
        data = [describe_certificate(db, c, _settings(request)) for c in found]
        return CertificatesPublic(data=data, count=len(data))

    @get("/{number:str}", sync_to_thread=True)
    def get_certificate(
        self, number: FromPath[str], db: DB, request: Request[Principal, Any, Any]
    ) -> CertificatePublic:
        """A certificate's register entry (another company's answers 404)."""
        certificate = queries.get_certificate(session=db, number=number, viewer=_viewer(request))
        return describe_certificate(db, certificate, _settings(request))

    @get("/{number:str}/pdf", sync_to_thread=True, media_type="application/pdf")
    def download_pdf(self, number: FromPath[str], db: DB, request: Request[Principal, Any, Any]) -> File:
        """The signed PDF exactly as issued (superseded and revoked ones too); SHA-256 in ``X-Content-SHA256``."""
        certificate = queries.get_certificate(session=db, number=number, viewer=_viewer(request))
        return File(
            stored_pdf(certificate.pdf_path, _settings(request).data_dir, number),
            filename=f"{number}.pdf",
            media_type="application/pdf",
            headers={"X-Content-SHA256": certificate.pdf_sha256},
        )

    @post("/{number:str}/amend", guards=[_reviewer], sync_to_thread=True)
    def amend(
        self, number: FromPath[str], data: JSONBody[CertificateAmend], db: DB, request: Request[Principal, Any, Any]
    ) -> CertificatePublic:
        """Issue an amendment ``<number>-R<n>`` that names and supersedes this certificate (201; 409 if it no longer
        stands)."""
        settings = _settings(request)
        certificate = service.amend_certificate(
            session=db,
            settings=settings,
            number=number,
            reason=data.reason,
            run_ids=data.runs,
            reviewer=get_user(session=db, user_id=request.user.id),
            actor=request.user.actor,
        )
        return describe_certificate(db, certificate, settings)

    @post("/{number:str}/revoke", guards=[_reviewer], status_code=200, sync_to_thread=True)
    def revoke(
        self, number: FromPath[str], data: JSONBody[CertificateRevoke], db: DB, request: Request[Principal, Any, Any]
    ) -> CertificatePublic:
        """Revoke a certificate: it verifies as revoked with the reason; its document stays downloadable."""
        certificate = service.revoke_certificate(
            session=db,
            number=number,
            reason=data.reason,
            reviewer=get_user(session=db, user_id=request.user.id),
            actor=request.user.actor,
        )
        return describe_certificate(db, certificate, _settings(request))

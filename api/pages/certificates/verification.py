"""The public verification page: anyone enters a certificate number, and may upload the PDF they were given, to
learn whether the lab issued it, whether the file is unchanged, and whether the certificate still stands.

The API's ``GET /verify/{number}`` sends a browser here (``/verify?number=…``): the address printed on every
report, and in its QR code, opens this page.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Template

from api.pages.certificates.words import WORDS
from api.pages.i18n import gettext as _
from api.pages.rendering import page
from api.pages.viewer import Viewer
from api.state import Certificates
from labsys.certificates.schemas import DocumentCheckPublic, VerificationPublic
from labsys.certificates.service import CertificateService
from labsys.companies.accounts import Account
from labsys.errors import NotFound

__all__ = ["VerificationPages"]

Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


class VerificationPages(Controller):
    """``/verify``: public, no account needed."""

    opt = {"exclude_from_auth": True}
    include_in_schema = False

    @get("/verify", sync_to_thread=True)
    def verification(
        self, viewer: Viewer, certificate_service: Certificates, number: FromQuery[str | None] = None
    ) -> Template:
        """The form; with a number, what the lab's register says of it."""
        asked = (number or "").strip()
        if not asked:
            return _verification_page(viewer, number="")
        return _checked(certificate_service, viewer, asked, None)

    @post("/verify", sync_to_thread=True)
    def check(self, viewer: Viewer, certificate_service: Certificates, data: Upload) -> Template:
        """Check an uploaded PDF (multipart field ``pdf``) against the certificate ``number``."""
        number = str(data.get("number") or "").strip()
        upload = data.get("pdf")
        content = upload.file.read() if isinstance(upload, UploadFile) else b""
        errors = {}
        if not number:
            errors["number"] = _("Enter the certificate number printed on the report.")
        if not content:
            errors["pdf"] = _("Choose the report's PDF file.")
        if errors:
            return _verification_page(viewer, number=number, errors=errors, status_code=422)
        return _checked(certificate_service, viewer, number, content)


def _checked(service: CertificateService, viewer: Account | None, number: str, pdf: bytes | None) -> Template:
    """The page stating what the register says of ``number`` and, given the file, what its check found."""
    try:
        record = service.verification(number)
        check = service.check_document(number, pdf) if pdf is not None else None
    except NotFound:
        return _verification_page(viewer, number=number, unknown=True, status_code=404)
    return _verification_page(viewer, number=number, record=record, check=check)


def _verification_page(
    viewer: Account | None,
    *,
    number: str,
    record: VerificationPublic | None = None,
    check: DocumentCheckPublic | None = None,
    unknown: bool = False,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        "certificates/verify.html",
        status_code=status_code,
        viewer=viewer,
        number=number,
        record=record,
        check=check,
        unknown=unknown,
        errors=errors or {},
        words=WORDS,
    )

"""The public verification page: anyone holding a test report enters its number with the verification code printed
beside it, or uploads its PDF, to learn whether the lab issued it, whether the file is unchanged, and whether the
certificate still stands (and if not, which one does).

The address in every report's QR code (``/verify?number=…&code=…``) opens this page with the answer. A number
without its code, with a wrong one, or a number the lab never issued all get the same answer, so nobody learns
the lab's customers by walking the numbers; an uploaded file other than the issued one learns nothing either.
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
    """``/verify``: public, no account needed. The app nests it behind the upload limits
    (:class:`api.upload_limits.UploadLimits`)."""

    opt = {"exclude_from_auth": True}
    include_in_schema = False

    @get("/verify", sync_to_thread=True)
    def verification(
        self,
        viewer: Viewer,
        certificate_service: Certificates,
        number: FromQuery[str | None] = None,
        code: FromQuery[str | None] = None,
    ) -> Template:
        """The form; with a number and its code (the QR code's address), what the lab's register says of it."""
        asked, typed = (number or "").strip(), (code or "").strip()
        if not asked or not typed:
            return _verification_page(viewer, number=asked, code=typed)
        return _looked_up(certificate_service, viewer, asked, typed)

    @post("/verify", sync_to_thread=True)
    def check(self, viewer: Viewer, certificate_service: Certificates, data: Upload) -> Template:
        """Check the certificate ``number`` by its ``code``, or an uploaded PDF (multipart field ``pdf``) against it."""
        number = str(data.get("number") or "").strip()
        code = str(data.get("code") or "").strip()
        upload = data.get("pdf")
        content = upload.file.read() if isinstance(upload, UploadFile) else b""
        errors = {}
        if not number:
            errors["number"] = _("Enter the certificate number printed on the report.")
        if not code and not content:
            errors["code"] = _(
                "Enter the verification code printed beside the number, or choose the report's PDF file."
            )
        if errors:
            return _verification_page(viewer, number=number, code=code, errors=errors, status_code=422)
        if content:
            check = certificate_service.check_document(number, content)
            record = check.certificate or (_record(certificate_service, number, code) if code else None)
            return _verification_page(viewer, number=number, code=code, record=record, check=check)
        return _looked_up(certificate_service, viewer, number, code)


def _record(service: CertificateService, number: str, code: str) -> VerificationPublic | None:
    """The register's record of ``number`` if ``code`` is its code (a file that is not the issued one opens none)."""
    try:
        return service.verification(number, code)
    except NotFound:
        return None


def _looked_up(service: CertificateService, viewer: Account | None, number: str, code: str) -> Template:
    """The page stating what the register says of ``number``, if ``code`` is its code."""
    record = _record(service, number, code)
    if record is None:
        return _verification_page(viewer, number=number, code=code, unknown=True, status_code=404)
    return _verification_page(viewer, number=number, code=code, record=record)


def _verification_page(
    viewer: Account | None,
    *,
    number: str,
    code: str,
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
        code=code,
        record=record,
        check=check,
        unknown=unknown,
        errors=errors or {},
        words=WORDS,
    )

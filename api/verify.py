"""The public verification page: anyone holding a certificate checks it without an account.

``GET /verify/{number}?code=…`` answers JSON to the number with its verification code (printed beside the number);
without the code, with a wrong one, or for an unknown number it answers the same 404, so walking the numbers
learns nothing. A browser (``Accept: text/html``, or ``?format=html``) is sent on to the verification page
``/verify?number=…&code=…`` (:mod:`api.pages.certificates.verification`), which also takes an upload.
``POST /verify/{number}`` takes the PDF itself as the raw request body (``Content-Type: application/pdf``); the
app nests this controller behind :class:`api.upload_limits.UploadLimits` (size cap, rate limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, MediaType, Request, get, post
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType
from litestar.params import FromPath, QueryParameter, RawBody
from litestar.response import Redirect

from api.state import Certificates
from api.statuses import ERRORS_OPT
from labsys.certificates.schemas import DocumentCheckPublic, VerificationPublic
from labsys.errors import InvalidInput

__all__ = ["VerificationController"]


@dataclass
class _PdfUpload(Operation):
    """The POST's request body as OpenAPI states it: the PDF's bytes (Litestar cannot infer a raw body)."""

    def __post_init__(self) -> None:
        pdf = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
        self.request_body = RequestBody(
            content={"application/pdf": OpenAPIMediaType(schema=pdf)},
            description="The PDF to check, as the raw request body (not a multipart form).",
            required=True,
        )


def _wants_html(request: Request[Any, Any, Any], output: str | None) -> bool:
    if output is not None:
        return output.lower() == "html"
    return request.accept.best_match([MediaType.JSON, MediaType.HTML], default=MediaType.JSON) == MediaType.HTML


class VerificationController(Controller):
    """``/verify``: public, no account needed."""

    path = "/verify"
    tags = ["verification"]
    opt = {"exclude_from_auth": True}

    @get("/{number:str}", sync_to_thread=True)
    def verify_certificate(
        self,
        number: FromPath[str],
        certificate_service: Certificates,
        request: Request[Any, Any, Any],
        code: Annotated[
            str, QueryParameter(description="the verification code printed beside the number (dashes optional)")
        ] = "",
        output: Annotated[str | None, QueryParameter(name="format", description="`json` (default) or `html`")] = None,
    ) -> VerificationPublic | Redirect:
        """Whether a certificate stands (issued, superseded or revoked) and, if not, which certificate of the same
        test does; its issue date, customer, method and the SHA-256 of its PDF and of each run's data file. Needs
        the number with its verification code: without it, with a wrong one, or for an unknown number the answer
        is the same 404. A browser (``Accept: text/html`` or ``?format=html``) is sent on to the verification page,
        where it can also upload the PDF."""
        if _wants_html(request, output):
            query = {"number": number, **({"code": code} if code else {})}
            return Redirect(f"/verify?{urlencode(query)}")
        return certificate_service.verification(number, code)

    @post(
        "/{number:str}",
        status_code=200,
        operation_class=_PdfUpload,
        sync_to_thread=True,
        opt={ERRORS_OPT: {429: "too many checks from this address in a minute: try again after Retry-After seconds"}},
    )
    def check_document(
        self, number: FromPath[str], body: RawBody, certificate_service: Certificates
    ) -> DocumentCheckPublic:
        """Check a PDF you hold: send it as the raw request body (``Content-Type: application/pdf``, e.g.
        ``curl --data-binary @report.pdf -H 'Content-Type: application/pdf' …``). The answer says whether it is
        exactly the document the lab issued under this number (SHA-256) and whether its signature is valid and
        chains to the lab's root certificate; the issued document also brings the certificate's record. Any other
        file learns nothing of the number. A file over ``LABSYS_VERIFY_UPLOAD_MAX_BYTES`` is refused (413), and
        an address gets ``LABSYS_VERIFY_UPLOADS_PER_MINUTE`` checks a minute (then 429 with ``Retry-After``)."""
        if not body:
            raise InvalidInput("body", "send the PDF as the request body (Content-Type: application/pdf)")
        return certificate_service.check_document(number, bytes(body))

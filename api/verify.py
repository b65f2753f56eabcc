"""The public verification page: anyone checks a certificate number, or a PDF they were given, without an account.

``GET /verify/{number}`` answers JSON; a browser (``Accept: text/html``, or ``?format=html``) is sent on to the
verification page ``/verify?number=…`` (:mod:`api.pages.certificates.verification`), which also takes an upload.
``POST /verify/{number}`` takes the PDF itself as the raw request body (``Content-Type: application/pdf``).
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
from labsys.certificates.schemas import DocumentCheckPublic, VerificationPublic
from labsys.errors import InvalidInput

__all__ = ["MAX_PDF_BYTES", "VerificationController"]

#: The largest PDF a person may send to be checked, in bytes (the API's other bodies are JSON, and far smaller).
MAX_PDF_BYTES = 10_000_000


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
        output: Annotated[str | None, QueryParameter(name="format", description="`json` (default) or `html`")] = None,
    ) -> VerificationPublic | Redirect:
        """Whether a certificate stands (issued, superseded or revoked), with its issue date, customer, method and
        the SHA-256 of its PDF and of each run's data file; an unknown number is 404. A browser (``Accept:
        text/html`` or ``?format=html``) is sent on to the verification page, where it can also upload the PDF."""
        if _wants_html(request, output):
            return Redirect(f"/verify?{urlencode({'number': number})}")
        return certificate_service.verification(number)

    @post(
        "/{number:str}",
        status_code=200,
        operation_class=_PdfUpload,
        sync_to_thread=True,
        request_max_body_size=MAX_PDF_BYTES,
    )
    def check_document(
        self, number: FromPath[str], body: RawBody, certificate_service: Certificates
    ) -> DocumentCheckPublic:
        """Check a PDF you hold: send it as the raw request body (``Content-Type: application/pdf``, e.g.
        ``curl --data-binary @report.pdf -H 'Content-Type: application/pdf' …``). The answer says whether it is
        exactly the document the lab issued under this number (SHA-256) and whether its signature is valid and
        chains to the lab's root certificate. An unknown number is 404."""
        if not body:
            raise InvalidInput("body", "send the PDF as the request body (Content-Type: application/pdf)")
        return certificate_service.check_document(number, bytes(body))

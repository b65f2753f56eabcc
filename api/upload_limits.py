"""The limits on public PDF checks (``POST /verify…``): how large a file, and how many checks per client address.

Checking a PDF needs no account and makes pyHanko parse the file, so both routes that take one (the API's raw
upload and the verification page's form) sit behind these limits: a request over the size is refused with 413
before more of it is read than the limit (Litestar's ``request_max_body_size``: at once when ``Content-Length``
announces it), and one address gets ``LABSYS_VERIFY_UPLOADS_PER_MINUTE`` checks a minute across both routes,
counted before the body is read; the next answers 429 with ``Retry-After``
(:func:`api.errors.too_many_requests_to_response`). The count is kept in the server process's memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Router
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.types import ControllerRouterHandler

from labsys.settings import Settings

__all__ = ["UploadLimits"]


class _PdfCheckRateLimit(RateLimitMiddleware):
    """Litestar's rate limit, under a name of its own: its counts never mix with another limit's."""


def _is_upload(request: Request[Any, Any, Any]) -> bool:
    """Only a check of a file counts; reading the page or a record does not."""
    return request.method == "POST"


@dataclass(frozen=True)
class UploadLimits:
    """The size cap and rate limit of the routes that check an uploaded PDF.

    Attributes:
        max_body_bytes: The largest request body taken, in bytes.
        rate_limit: Checks per minute per client address, counted in one store for every route it guards.
    """

    max_body_bytes: int
    rate_limit: RateLimitConfig

    @classmethod
    def of(cls, settings: Settings) -> UploadLimits:
        """The limits ``settings`` set (``LABSYS_VERIFY_UPLOAD_MAX_BYTES``, ``LABSYS_VERIFY_UPLOADS_PER_MINUTE``)."""
        rate_limit = RateLimitConfig(
            rate_limit=("minute", settings.verify_uploads_per_minute),
            check_throttle_handler=_is_upload,
            middleware_class=_PdfCheckRateLimit,
            store="pdf_checks",
        )
        return cls(max_body_bytes=settings.verify_upload_max_bytes, rate_limit=rate_limit)

    def router(self, *handlers: ControllerRouterHandler) -> Router:
        """``handlers`` behind these limits (a router at ``/`` to nest in the app's own)."""
        return Router(
            path="/",
            route_handlers=list(handlers),
            middleware=[self.rate_limit.middleware],
            request_max_body_size=self.max_body_bytes,
        )

"""The one place where the lab's errors become HTTP responses.

A request no rule foresaw (a bug) answers 500 with a request id, in the body and in the ``X-Request-ID`` header;
the log line of the error carries the same id and the traceback, so a person who quotes the id can be helped.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.status_codes import (
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
)
from litestar.types import ExceptionHandlersMap

from api.pages.errors import (
    error_page,
    internal_error_page,
    sign_in_first,
    too_large_page,
    too_many_requests_page,
    wants_page,
)
from api.statuses import status_for
from labsys.errors import LabError, TooManyAttempts

__all__ = ["REQUEST_ID_HEADER", "exception_handlers"]

#: The response header that carries a failed request's id, as its log line does.
REQUEST_ID_HEADER = "X-Request-ID"

log = logging.getLogger(__name__)


def _body(status: int, detail: str, extra: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status_code": status, "detail": detail}
    if extra:
        body["extra"] = extra
    return body


def lab_error_to_response(request: Request[Any, Any, Any], error: LabError) -> Response[Any]:
    """Map a domain error to JSON with its ``detail`` and, where known, the rule or field (for a person's
    browser, a page that says it)."""
    status = status_for(error)
    if status == HTTP_500_INTERNAL_SERVER_ERROR:  # a lab error no status was chosen for is a bug like any other
        return unexpected_error_to_response(request, error)
    if wants_page(request):
        page = error_page(request, status, error.detail)
        page.headers.update(_headers(error, status) or {})
        return page
    return Response(_body(status, error.detail, error.extra), status_code=status, headers=_headers(error, status))


def _headers(error: LabError, status: int) -> dict[str, str] | None:
    if status == HTTP_401_UNAUTHORIZED:
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, TooManyAttempts):
        return {"Retry-After": str(error.retry_after_s)}
    return None


def validation_error_to_response(
    _request: Request[Any, Any, Any], error: ValidationException
) -> Response[dict[str, Any]]:
    """A malformed request is 422, and the ``detail`` names each field that is wrong and why."""
    problems = error.extra if isinstance(error.extra, list) else []
    parts = []
    for problem in problems:
        if isinstance(problem, dict):
            message = str(problem.get("message", "")).removeprefix("Value error, ")
            parts.append(f"{problem['key']}: {message}" if problem.get("key") else message)
    detail = "invalid " + "; ".join(parts) if parts else error.detail
    fields = [p["key"] for p in problems if isinstance(p, dict) and p.get("key")]
    return Response(
        _body(HTTP_422_UNPROCESSABLE_ENTITY, detail, {"fields": fields, "errors": problems} if fields else None),
        status_code=HTTP_422_UNPROCESSABLE_ENTITY,
    )


def not_authorized_to_response(request: Request[Any, Any, Any], error: NotAuthorizedException) -> Response[Any]:
    """401 with its detail; a person's browser goes to the sign-in form instead, and back afterwards."""
    if wants_page(request):
        return sign_in_first(request)
    return Response(
        _body(HTTP_401_UNAUTHORIZED, error.detail), status_code=HTTP_401_UNAUTHORIZED, headers=error.headers or None
    )


def not_found_to_response(request: Request[Any, Any, Any], error: NotFoundException) -> Response[Any]:
    """No such path: 404 with its detail, or a page that says so."""
    if wants_page(request):
        return error_page(request, HTTP_404_NOT_FOUND, error.detail)
    return Response(_body(HTTP_404_NOT_FOUND, error.detail), status_code=HTTP_404_NOT_FOUND)


def forbidden_to_response(request: Request[Any, Any, Any], error: PermissionDeniedException) -> Response[Any]:
    """403 with its detail (a form without its CSRF token among them), or a page that says so."""
    if wants_page(request):
        return error_page(request, HTTP_403_FORBIDDEN, error.detail)
    return Response(_body(HTTP_403_FORBIDDEN, error.detail), status_code=HTTP_403_FORBIDDEN)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.3g} MB"


def too_large_to_response(request: Request[Any, Any, Any], _error: RequestEntityTooLarge) -> Response[Any]:
    """413 naming the most the address takes (its ``request_max_body_size``), or a page that says so."""
    limit = request.route_handler.resolve_request_max_body_size()
    size = _megabytes(limit) if limit else "the limit"
    if wants_page(request):
        return too_large_page(request, size)
    detail = f"the request body is larger than {size}, the most this address takes"
    return Response(_body(HTTP_413_REQUEST_ENTITY_TOO_LARGE, detail), status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE)


def too_many_requests_to_response(request: Request[Any, Any, Any], error: TooManyRequestsException) -> Response[Any]:
    """429 with ``Retry-After`` (seconds until the address's window resets) and the rate limit's headers, or a
    page that says when to try again."""
    headers = dict(error.headers or {})
    seconds = max(1, int(headers.get("RateLimit-Reset", "60")))
    headers["Retry-After"] = str(seconds)
    if wants_page(request):
        page = too_many_requests_page(request, seconds)
        page.headers.update(headers)
        return page
    detail = f"too many requests from your address: try again in {seconds} seconds"
    return Response(_body(HTTP_429_TOO_MANY_REQUESTS, detail), status_code=HTTP_429_TOO_MANY_REQUESTS, headers=headers)


def unexpected_error_to_response(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """500 for an error no rule foresaw: logged with its traceback and a new request id, which the answer carries
    (``{"detail": "internal error", "request_id": …}`` and the ``X-Request-ID`` header; for a browser, a page
    that shows it)."""
    request_id = uuid.uuid4().hex
    log.error(
        "internal error %s answering %s %s: %r",
        request_id, request.method, request.url.path, error, exc_info=error,
    )  # fmt: skip
    headers = {REQUEST_ID_HEADER: request_id}
    if wants_page(request):
        answer = internal_error_page(request, request_id)
        answer.headers.update(headers)
        return answer
    body = {"status_code": HTTP_500_INTERNAL_SERVER_ERROR, "detail": "internal error", "request_id": request_id}
    return Response(body, status_code=HTTP_500_INTERNAL_SERVER_ERROR, headers=headers)


exception_handlers: ExceptionHandlersMap = {
    # The status code keys: 500 takes every exception that is neither one of Litestar's HTTP errors nor a type below.
    HTTP_500_INTERNAL_SERVER_ERROR: unexpected_error_to_response,
    LabError: lab_error_to_response,
    ValidationException: validation_error_to_response,
    NotAuthorizedException: not_authorized_to_response,
    NotFoundException: not_found_to_response,
    PermissionDeniedException: forbidden_to_response,
    RequestEntityTooLarge: too_large_to_response,
    TooManyRequestsException: too_many_requests_to_response,
}

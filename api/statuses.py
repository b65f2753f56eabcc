"""Which HTTP status each of the lab's errors answers with: one table, for the API's responses and the pages."""

from __future__ import annotations

from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from labsys.errors import (
    AuthenticationFailed,
    ConfigurationError,
    Conflict,
    InvalidInput,
    LabError,
    MalformedInput,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
    Unavailable,
    UnsupportedMediaType,
)

__all__ = ["ERRORS_OPT", "status_for"]

#: The key of a handler's ``opt`` under which it names the errors only it answers, ``{status: "why"}``, for the
#: OpenAPI document (:mod:`api.openapi` derives the others from the handler's guards, parameters and body).
ERRORS_OPT = "errors"

_STATUS: tuple[tuple[type[LabError], int], ...] = (
    (NotFound, HTTP_404_NOT_FOUND),
    (Conflict, HTTP_409_CONFLICT),
    (PermissionDenied, HTTP_403_FORBIDDEN),
    (AuthenticationFailed, HTTP_401_UNAUTHORIZED),
    # Kinds of invalid input that HTTP names apart: before their parent.
    (MalformedInput, HTTP_400_BAD_REQUEST),
    (UnsupportedMediaType, HTTP_415_UNSUPPORTED_MEDIA_TYPE),
    (InvalidInput, HTTP_422_UNPROCESSABLE_ENTITY),
    (TooManyAttempts, HTTP_429_TOO_MANY_REQUESTS),
    # The lab is misconfigured (e.g. no signing keys): the request was fine, the service cannot do it now.
    (ConfigurationError, HTTP_503_SERVICE_UNAVAILABLE),
    (Unavailable, HTTP_503_SERVICE_UNAVAILABLE),
)


def status_for(error: LabError) -> int:
    """The HTTP status of a lab error."""
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return HTTP_500_INTERNAL_SERVER_ERROR

"""What a person sees when a page cannot be shown: the reason, in the page's language; or the sign-in form."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request
from litestar.response import Redirect, Template

from api.pages.i18n import LANGUAGE_COOKIE, use_language
from api.pages.i18n import gettext as _
from api.pages.rendering import page
from labsys.companies.accounts import Account

__all__ = [
    "error_page",
    "internal_error_page",
    "sign_in_first",
    "too_large_page",
    "too_many_requests_page",
    "wants_page",
]


def wants_page(request: Request[Any, Any, Any]) -> bool:
    """Whether a person's browser asked (HTML, outside the JSON API), rather than a program."""
    if request.url.path.startswith("/api/"):
        return False
    return request.accept.best_match([MediaType.JSON, MediaType.HTML], default=MediaType.JSON) == MediaType.HTML


def _headings() -> dict[int, str]:
    return {
        403: _("You may not do this"),
        404: _("Not found"),
        409: _("This cannot be done now"),
        413: _("The file is too large"),
        422: _("Something in the form is wrong"),
        429: _("Too many requests"),
        503: _("The lab cannot do this at the moment"),
    }


def error_page(request: Request[Any, Any, Any], status: int, detail: str) -> Template:
    """A page stating why the request failed, with the status it failed with."""
    use_language(request.cookies.get(LANGUAGE_COOKIE, ""))
    viewer = request.scope.get("user")
    heading = _headings().get(status, _("Something went wrong"))
    return page(
        "error.html",
        status_code=status,
        viewer=viewer if isinstance(viewer, Account) else None,
        heading=heading,
        detail=detail,
    )


def internal_error_page(request: Request[Any, Any, Any], request_id: str) -> Template:
    """The page of a failure on the lab's side, with the reference the log keeps it under."""
    use_language(request.cookies.get(LANGUAGE_COOKIE, ""))
    detail = _(
        "The lab failed to answer. If it happens again, tell the lab this reference: %(reference)s",
        reference=request_id,
    )
    return error_page(request, 500, detail)


def too_large_page(request: Request[Any, Any, Any], size: str) -> Template:
    """413: the file sent is larger than ``size`` (e.g. ``"4 MB"``), the most the page takes."""
    use_language(request.cookies.get(LANGUAGE_COOKIE, ""))
    detail = _(
        "The file is larger than %(size)s, the most this page takes: a test report's PDF is well under 1 MB.", size=size
    )
    return error_page(request, 413, detail)


def too_many_requests_page(request: Request[Any, Any, Any], seconds: int) -> Template:
    """429: this address asked too often; it may ask again in ``seconds``."""
    use_language(request.cookies.get(LANGUAGE_COOKIE, ""))
    return error_page(
        request, 429, _("Too many checks from your address: try again in %(seconds)s seconds.", seconds=seconds)
    )


def sign_in_first(request: Request[Any, Any, Any]) -> Redirect:
    """To the sign-in form, and back to this page afterwards."""
    return Redirect(f"/sign-in?next={quote(request.url.path)}")

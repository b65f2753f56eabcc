"""The lab's web application: pages for customers, engineers, reviewers, the admin and the public.

Pages are HTML rendered on the server (Jinja2), with htmx for partial updates; every script, style sheet and font
is served by the app itself. People sign in with a form and a session cookie; every form carries a CSRF token.
Page handlers call the same services as the JSON API: a rule is written once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.config.csrf import CSRFConfig
from litestar.middleware.session.client_side import ClientSideSessionBackend
from litestar.security.session_auth import SessionAuth
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from api.pages.account import AccountPage
from api.pages.admin import ADMIN_PAGES
from api.pages.certificates import CERTIFICATE_PAGES, VerificationPages
from api.pages.customers import CUSTOMER_PAGES
from api.pages.engineers import ENGINEER_PAGES
from api.pages.i18n import LANGUAGE_COOKIE, use_language
from api.pages.public import PublicPages
from api.pages.reviewers import REVIEWER_PAGES
from api.pages.runs import RUN_PAGES
from api.pages.signing_in import SigningIn
from api.pages.viewer import person_dependency, viewer_dependency
from api.request_checks import check_request
from api.upload_limits import UploadLimits
from labsys.companies.accounts import Account
from labsys.settings import Mode, Settings

__all__ = ["csrf_config", "page_routes", "static_routes"]

STATIC = Path(__file__).parent / "static"


async def _page_request(request: Request[Any, Any, Any]) -> None:
    await check_request(request)
    use_language(request.cookies.get(LANGUAGE_COOKIE, ""))


def page_routes(sign_in: SessionAuth[Account, ClientSideSessionBackend], uploads: UploadLimits) -> Router:
    """Every page, under ``/``, behind the session sign-in ``sign_in`` (public pages opt out); the verification
    page, which takes a PDF from anyone, behind ``uploads``."""
    return Router(
        path="/",
        route_handlers=[
            PublicPages,
            SigningIn,
            AccountPage,
            *CUSTOMER_PAGES,
            *ENGINEER_PAGES,
            *RUN_PAGES,
            *REVIEWER_PAGES,
            *CERTIFICATE_PAGES,
            uploads.router(VerificationPages),
            *ADMIN_PAGES,
        ],
        dependencies={"viewer": viewer_dependency, "person": person_dependency},
        before_request=_page_request,
        middleware=[sign_in.middleware],
        include_in_schema=False,
    )


def static_routes() -> list[ControllerRouterHandler]:
    """The pages' own files: scripts (Swagger UI's too), style sheets and the Hangul typeface (``static/``)."""
    return [
        create_static_files_router(
            path="/static",
            directories=[STATIC],
            name="static",
            opt={"exclude_from_auth": True},
            include_in_schema=False,
        ),
    ]


def csrf_config(settings: Settings) -> CSRFConfig:
    """Every form of the pages carries a token; the JSON API (bearer tokens, no cookies) and the public upload of
    a PDF to check (no account at stake) are left out."""
    return CSRFConfig(
        secret=settings.secret_key,
        cookie_name="labsys_csrf",
        cookie_httponly=True,
        cookie_secure=settings.mode is Mode.PRODUCTION,
        exclude=["^/api/", "^/verify(?:/|$)"],
    )

"""Signing people in to the pages: a form, a session cookie, signing out; the same accounts as the API.

The session cookie is encrypted by the app (HttpOnly, SameSite=Lax, Secure in production) and holds the account's
id only: the account is read afresh on every request, so a deactivated user loses access at once.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import anyio.to_thread
from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template
from litestar.security.session_auth import SessionAuth

from api.auth import client_address
from api.pages.i18n import gettext as _
from api.pages.rendering import page
from api.state import Credentials, lab_state
from labsys.companies.accounts import Account
from labsys.companies.models import Role
from labsys.errors import AuthenticationFailed, TooManyAttempts
from labsys.settings import Mode, Settings

__all__ = ["SESSION_COOKIE", "SigningIn", "home_of", "safe_next", "session_auth"]

SESSION_COOKIE = "labsys_session"

#: Where each role lands after signing in.
_HOMES = {Role.CUSTOMER: "/bookings", Role.ENGINEER: "/schedule", Role.REVIEWER: "/reviews", Role.ADMIN: "/admin/users"}


def home_of(account: Account) -> str:
    """The page a person starts from."""
    return _HOMES[account.role]


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (never another host: ``//evil.example`` is refused)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


async def _account_of_session(
    session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]
) -> Account | None:
    account_id = session.get("account")
    if not isinstance(account_id, int):
        return None
    accounts = lab_state(connection.app.state).services.accounts
    return await anyio.to_thread.run_sync(accounts.active_account, account_id)


def session_auth(settings: Settings) -> SessionAuth[Account, ClientSideSessionBackend]:
    """Session sign-in for the pages (public pages opt out with ``opt={"exclude_from_auth": True}``)."""
    secret = hashlib.sha256(f"labsys-session:{settings.secret_key}".encode()).digest()
    backend = CookieBackendConfig(
        secret=secret,
        key=SESSION_COOKIE,
        max_age=settings.token_ttl_min * 60,
        httponly=True,
        samesite="lax",
        secure=settings.mode is Mode.PRODUCTION,
    )
    return SessionAuth[Account, ClientSideSessionBackend](
        retrieve_user_handler=_account_of_session,
        session_backend_config=backend,
    )


def _too_many(refused: TooManyAttempts) -> str:
    minutes = max(1, -(-refused.retry_after_s // 60))
    if "locked_until" in refused.extra:
        return _(
            "Too many wrong passwords: this account is locked for %(minutes)s more minutes. "
            "The lab's administrator can unlock it sooner.",
            minutes=minutes,
        )
    return _("Too many wrong passwords from here: try again in %(minutes)s minutes.", minutes=minutes)


class SigningIn(Controller):
    """``/sign-in`` and ``/sign-out``."""

    opt = {"exclude_from_auth": True}
    include_in_schema = False

    @get("/sign-in")
    async def form(
        self,
        next: FromQuery[str | None] = None,  # noqa: A002 - the query parameter's name
        registered: FromQuery[bool] = False,
    ) -> Template:
        """The sign-in form (after a registration, with what the registration answered)."""
        return page("sign_in.html", viewer=None, next=safe_next(next), email="", error=None, registered=registered)

    @post("/sign-in", sync_to_thread=True)
    def sign_in(
        self,
        request: Request[Any, Any, Any],
        credential_service: Credentials,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        """Sign in with an email and password; on to the page asked for, or the person's start page."""
        email, target = data.get("email", "").strip(), safe_next(data.get("next"))
        try:
            account = credential_service.sign_in(email, data.get("password", ""), address=client_address(request))
        except AuthenticationFailed:
            error = _("The email or the password is wrong.")
            return page(
                "sign_in.html", status_code=401, viewer=None, next=target, email=email, error=error, registered=False
            )
        except TooManyAttempts as refused:
            shown = page(
                "sign_in.html",
                status_code=429,
                viewer=None,
                next=target,
                email=email,
                error=_too_many(refused),
                registered=False,
            )
            shown.headers["Retry-After"] = str(refused.retry_after_s)
            return shown
        request.set_session({"account": account.id})
        return Redirect(target or home_of(account))

    @post("/sign-out")
    async def sign_out(self, request: Request[Any, Any, Any]) -> Redirect:
        """Sign out; back to the start page."""
        request.clear_session()
        return Redirect("/")

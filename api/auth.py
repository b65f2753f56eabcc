"""Signing in, bearer tokens and the role guards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import anyio.to_thread
from litestar import Request, Response, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import JSONBody
from litestar.security.jwt import JWTAuth, Token
from pydantic import EmailStr
from sqlmodel import SQLModel

from api.state import Credentials, LabSettings, lab_state
from api.statuses import ERRORS_OPT
from labsys.companies.accounts import Account
from labsys.companies.models import STAFF_ROLES, Role
from labsys.errors import PermissionDenied
from labsys.settings import Settings

__all__ = [
    "RoleGuard",
    "TokenRequest",
    "TokenResponse",
    "build_auth",
    "client_address",
    "create_token",
    "requires",
    "requires_staff",
]


class TokenRequest(SQLModel):
    """Credentials for a bearer token."""

    email: EmailStr
    password: str


class TokenResponse(SQLModel):
    """A bearer token for the ``Authorization: Bearer <token>`` header."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth 2 token type, not a secret
    expires_in: int


async def _load_account(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> Account | None:
    # Read on every request, so a deactivated user loses access at once.
    accounts = lab_state(connection.app.state).services.accounts
    return await anyio.to_thread.run_sync(accounts.active_account, int(token.sub))


def build_auth(settings: Settings) -> JWTAuth[Account, Token]:
    """The bearer-token security backend of the JSON API (the pages sign in with a session cookie:
    :mod:`api.pages.signing_in`); handlers opt out with ``opt={"exclude_from_auth": True}``."""
    return JWTAuth[Account, Token](
        token_secret=settings.secret_key,
        retrieve_user_handler=_load_account,
        default_token_expiration=timedelta(minutes=settings.token_ttl_min),
        description="A bearer token from POST /api/auth/token.",
    )


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The address a request came from, as sign-in throttling counts it (the peer the server sees)."""
    return connection.client.host if connection.client else "unknown"


@post(
    "/api/auth/token",
    opt={
        "exclude_from_auth": True,
        ERRORS_OPT: {
            401: "the email and password do not match an active account",
            429: "too many wrong passwords: try again after Retry-After seconds (or when an admin lifts the lock)",
        },
    },
    status_code=200,
    sync_to_thread=True,
    tags=["auth"],
)
def create_token(
    data: JSONBody[TokenRequest],
    credential_service: Credentials,
    settings: LabSettings,
    request: Request[Any, Any, Any],
) -> Response[TokenResponse]:
    """Exchange an email and password for a bearer token (401 if they do not match).

    Guessing is slowed down: after 10 wrong passwords for one email from one address, 429 with ``Retry-After``
    (a wait that doubles with each further one, up to an hour); after 50 from any addresses within a day, the
    account is locked for an hour (429) unless an admin unlocks it.
    """
    account = credential_service.sign_in(data.email, data.password, address=client_address(request))
    auth: JWTAuth[Account, Token] = request.app.state["auth"]
    ttl = timedelta(minutes=settings.token_ttl_min)
    token = auth.create_token(identifier=str(account.id), token_expiration=ttl, token_extras={"role": account.role})
    return Response(
        TokenResponse(access_token=token, expires_in=int(ttl.total_seconds())), headers={"Cache-Control": "no-store"}
    )


@dataclass(frozen=True)
class RoleGuard:
    """A guard that admits only ``roles`` (403 with the reason otherwise); the OpenAPI document names them."""

    roles: frozenset[Role]

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":
            return  # asks which methods an address takes, and does nothing: signed in or not (as for the token)
        account: Account = connection.user
        if account.role not in self.roles:
            names = ", ".join(sorted(r.value for r in self.roles))
            raise PermissionDenied(f"this needs the role {names}; you are signed in as {account.role.value}")


def requires(*roles: Role) -> RoleGuard:
    """A guard that admits only the given roles (403 with the reason otherwise)."""
    return RoleGuard(frozenset(roles))


#: Lab staff only: engineers, reviewers and admins.
requires_staff = requires(*STAFF_ROLES)

"""Signing in, bearer tokens and the role guards."""

from __future__ import annotations

from dataclasses import dataclass, field
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

from api.state import DB, lab_state
from api.tokens import VerifiedToken
from labsys.audit import Actor
from labsys.companies.accounts import Account, active_account
from labsys.companies.models import STAFF_ROLES, Role, User
from labsys.companies.service import authenticate
from labsys.db import answers_locally
from labsys.errors import PermissionDenied
from labsys.settings import Settings

__all__ = [
    "Principal",
    "TokenRequest",
    "TokenResponse",
    "build_auth",
    "issue_token",
    "requires",
    "requires_staff",
]


@dataclass(frozen=True)
class Principal:
    """The signed-in user of a request."""

    id: int
    email: str
    name: str
    role: Role
    company_id: int | None
    qualifications: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_staff(self) -> bool:
        """Whether the user is one of the lab's own people (sees every company's records)."""
        return self.role in STAFF_ROLES

    @property
    def actor(self) -> Actor:
        """The user as the audit trail names them."""
        return Actor(self.email, self.id)

    @classmethod
    def of_account(cls, account: Account) -> Principal:
        """The principal of an active account."""
        return cls(account.id, account.email, account.name, account.role, account.company_id, account.qualifications)

    @classmethod
    def of(cls, user: User) -> Principal:
        """The principal of a user row."""
        assert user.id is not None  # noqa: S101 - a stored user always has an id
        return cls(user.id, user.email, user.name, Role(user.role), user.company_id, tuple(user.qualifications))


class TokenRequest(SQLModel):
    """Credentials for a bearer token."""

    email: EmailStr
    password: str


class TokenResponse(SQLModel):
    """A bearer token for the ``Authorization: Bearer <token>`` header."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth 2 token type, not a secret
    expires_in: int


async def _load_principal(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    # Read on every request, so a deactivated user loses access at once. An embedded database answers in
    # microseconds, on the event loop; a database across the network is asked from a worker thread.
    lab = lab_state(connection.app.state)
    user_id = int(token.sub)
    if answers_locally(lab.readers):
        account = lab.accounts.active(user_id)
    else:
        account = await anyio.to_thread.run_sync(active_account, lab.readers, user_id)
    return None if account is None else Principal.of_account(account)


def build_auth(settings: Settings) -> JWTAuth[Principal, Token]:
    """The bearer-token security backend; handlers opt out with ``opt={"exclude_from_auth": True}``."""
    return JWTAuth[Principal, Token](
        token_secret=settings.secret_key,
        retrieve_user_handler=_load_principal,
        default_token_expiration=timedelta(minutes=settings.token_ttl_min),
        exclude=["/schema", "/verify"],
        description="A bearer token from POST /api/auth/token.",
        token_cls=VerifiedToken,
    )


def issue_token(auth: JWTAuth[Principal, Token], principal: Principal, ttl: timedelta) -> TokenResponse:
    """A signed token for ``principal``, valid for ``ttl``."""
    token = auth.create_token(identifier=str(principal.id), token_expiration=ttl, token_extras={"role": principal.role})
    return TokenResponse(access_token=token, expires_in=int(ttl.total_seconds()))


@post("/api/auth/token", opt={"exclude_from_auth": True}, status_code=200, sync_to_thread=True, tags=["auth"])
def create_token(data: JSONBody[TokenRequest], db: DB, request: Request[Any, Any, Any]) -> Response[TokenResponse]:
    """Exchange an email and password for a bearer token (401 if they do not match)."""
    user = authenticate(session=db, email=data.email, password=data.password)
    settings = lab_state(request.app.state).settings
    auth: JWTAuth[Principal, Token] = request.app.state["auth"]
    body = issue_token(auth, Principal.of(user), timedelta(minutes=settings.token_ttl_min))
    return Response(body, headers={"Cache-Control": "no-store"})


def requires(*roles: Role) -> Any:
    """A guard that admits only the given roles (403 with the reason otherwise).

    A coroutine, though it awaits nothing: Litestar runs a plain function guard in a worker thread, and the hop
    there and back costs more than the check.
    """
    allowed = frozenset(roles)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        principal: Principal = connection.user
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise PermissionDenied(f"this needs the role {names}; you are signed in as {principal.role.value}")

    return guard


#: Lab staff only: engineers, reviewers and admins.
requires_staff = requires(*STAFF_ROLES)

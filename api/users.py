"""Users: who am I, and the admin's management of users and qualifications."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.security.jwt import Token

from api.auth import requires
from api.state import Accounts
from labsys.companies.accounts import Account
from labsys.companies.models import QualificationsUpdate, Role, UserCreate, UserPublic, UsersPublic

__all__ = ["UserController"]

_admin = requires(Role.ADMIN)

SignedIn = Request[Account, Token, Any]


class UserController(Controller):
    """``/api/users``."""

    path = "/api/users"
    tags = ["users"]

    @get("/me", sync_to_thread=True)
    def me(self, account_service: Accounts, request: SignedIn) -> UserPublic:
        """The signed-in user."""
        return account_service.get_user(request.user.id)

    @get("/", guards=[_admin], sync_to_thread=True)
    def list_users(self, account_service: Accounts, role: FromQuery[Role | None] = None) -> UsersPublic:
        """Every user, or those of one role (admin)."""
        return account_service.list_users(role)

    @post("/", guards=[_admin], sync_to_thread=True)
    def create_user(self, data: JSONBody[UserCreate], account_service: Accounts, request: SignedIn) -> UserPublic:
        """Create a user (admin)."""
        return account_service.create_user(data, by=request.user.actor)

    @put("/{user_id:int}/qualifications", guards=[_admin], sync_to_thread=True)
    def set_qualifications(
        self, user_id: FromPath[int], data: JSONBody[QualificationsUpdate], account_service: Accounts, request: SignedIn
    ) -> UserPublic:
        """Set the instrument kinds an engineer may operate, or the method codes a reviewer may sign (admin)."""
        return account_service.set_qualifications(user_id, data.qualifications, by=request.user.actor)

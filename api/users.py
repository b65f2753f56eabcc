"""Users: who am I, and the admin's management of users and qualifications."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from api.auth import Principal, requires
from api.state import DB
from labsys.companies import service
from labsys.companies.models import Role
from labsys.companies.schemas import QualificationsUpdate, UserCreate, UserPublic, UsersPublic

__all__ = ["UserController"]

_admin = requires(Role.ADMIN)


def _public(user: Any) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


class UserController(Controller):
    """``/api/users``."""

    path = "/api/users"
    tags = ["users"]

    @get("/me", sync_to_thread=True)
    def me(self, db: DB, request: Request[Principal, Any, Any]) -> UserPublic:
        """The signed-in user."""
        return _public(service.get_user(session=db, user_id=request.user.id))

    @get("/", guards=[_admin], sync_to_thread=True)
    def list_users(self, db: DB, role: FromQuery[Role | None] = None) -> UsersPublic:
        """Every user, or those of one role (admin)."""
        users = [_public(u) for u in service.list_users(session=db, role=role)]
        return UsersPublic(data=users, count=len(users))

    @post("/", guards=[_admin], sync_to_thread=True)
    def create_user(self, data: JSONBody[UserCreate], db: DB, request: Request[Principal, Any, Any]) -> UserPublic:
        """Create a user (admin)."""
        return _public(service.create_user(session=db, user_in=data, actor=request.user.actor))

    @put("/{user_id:int}/qualifications", guards=[_admin], sync_to_thread=True)
    def set_qualifications(
        self,
        user_id: FromPath[int],
        data: JSONBody[QualificationsUpdate],
        db: DB,
        request: Request[Principal, Any, Any],
    ) -> UserPublic:
        """Set the instrument kinds an engineer may operate, or the method codes a reviewer may sign (admin)."""
        user = service.set_qualifications(
            session=db, user_id=user_id, qualifications=data.qualifications, actor=request.user.actor
        )
        return _public(user)

"""Users: who am I, and the admin's management of users, qualifications, and engineers' shifts and leave."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.security.jwt import Token
from litestar.status_codes import HTTP_204_NO_CONTENT

from api.auth import client_address, requires
from api.state import Accounts, Credentials, EngineerTime
from labsys.companies.accounts import Account
from labsys.companies.models import (
    PasswordChange,
    QualificationsUpdate,
    Role,
    UserCreate,
    UserPublic,
    UsersPublic,
)
from labsys.scheduling.schemas import LeaveCreate, LeavePublic, LeavesPublic, ShiftsPublic, ShiftsUpdate

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

    @post("/me/password", status_code=HTTP_204_NO_CONTENT, sync_to_thread=True)
    def change_password(
        self, data: JSONBody[PasswordChange], credential_service: Credentials, request: SignedIn
    ) -> None:
        """Change your password: give the current one and a new one that is not easy to guess (422 says why).
        A wrong current password counts as a wrong sign-in."""
        credential_service.change_password(data, by=request.user, address=client_address(request))

    @get("/", guards=[_admin], sync_to_thread=True)
    def list_users(self, account_service: Accounts, role: FromQuery[Role | None] = None) -> UsersPublic:
        """Every user, or those of one role (admin); ``sign_in_locked_until`` is set on a locked account."""
        return account_service.list_users(role)

    @post("/", guards=[_admin], sync_to_thread=True)
    def create_user(self, data: JSONBody[UserCreate], account_service: Accounts, request: SignedIn) -> UserPublic:
        """Create a user (admin); 422 if the password is easy to guess."""
        return account_service.create_user(data, by=request.user.actor)

    @put("/{user_id:int}/qualifications", guards=[_admin], sync_to_thread=True)
    def set_qualifications(
        self, user_id: FromPath[int], data: JSONBody[QualificationsUpdate], account_service: Accounts, request: SignedIn
    ) -> UserPublic:
        """Set the instrument kinds an engineer may operate, or the method codes a reviewer may sign (admin)."""
        return account_service.set_qualifications(user_id, data.qualifications, by=request.user.actor)

    @post("/{user_id:int}/unlock", guards=[_admin], status_code=200, sync_to_thread=True)
    def unlock(self, user_id: FromPath[int], credential_service: Credentials, request: SignedIn) -> UserPublic:
        """Lift a user's sign-in lock (admin): their wrong passwords are forgotten, from every address."""
        return credential_service.unlock(user_id, by=request.user.actor)

    @get("/{user_id:int}/shifts", guards=[_admin], sync_to_thread=True)
    def shifts(self, user_id: FromPath[int], engineer_time_service: EngineerTime) -> ShiftsPublic:
        """An engineer's weekly shifts, lab-zone wall-clock times (admin); none: the lab's opening hours."""
        return engineer_time_service.shifts(user_id)

    @put("/{user_id:int}/shifts", guards=[_admin], sync_to_thread=True)
    def set_shifts(
        self,
        user_id: FromPath[int],
        data: JSONBody[ShiftsUpdate],
        engineer_time_service: EngineerTime,
        request: SignedIn,
    ) -> ShiftsPublic:
        """Replace an engineer's weekly shifts (admin, audited): bookings need a qualified engineer on shift for
        their whole span. An empty list: the lab's opening hours."""
        return engineer_time_service.set_shifts(user_id, data, by=request.user.actor)

    @get("/{user_id:int}/leave", guards=[_admin], sync_to_thread=True)
    def leave(self, user_id: FromPath[int], engineer_time_service: EngineerTime) -> LeavesPublic:
        """An engineer's leave, by first day (admin)."""
        return engineer_time_service.leave(user_id)

    @post("/{user_id:int}/leave", guards=[_admin], sync_to_thread=True)
    def add_leave(
        self,
        user_id: FromPath[int],
        data: JSONBody[LeaveCreate],
        engineer_time_service: EngineerTime,
        request: SignedIn,
    ) -> LeavePublic:
        """Record an engineer's days off, inclusive (admin, audited); bookings already made keep their engineer."""
        return engineer_time_service.add_leave(user_id, data, by=request.user.actor)

    @delete("/{user_id:int}/leave/{leave_id:int}", guards=[_admin], sync_to_thread=True)
    def remove_leave(
        self, user_id: FromPath[int], leave_id: FromPath[int], engineer_time_service: EngineerTime, request: SignedIn
    ) -> None:
        """Cancel a stretch of an engineer's leave (admin, audited)."""
        engineer_time_service.remove_leave(user_id, leave_id, by=request.user.actor)

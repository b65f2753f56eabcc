"""Who is looking at a page: the signed-in account, or nobody on a public page."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request
from litestar.di import NamedDependency, Provide

from api.state import lab_state
from labsys.companies.accounts import Account

__all__ = ["Person", "Viewer", "person_dependency", "viewer_dependency"]

#: A page handler's parameter ``viewer: Viewer``: the signed-in account, or None.
Viewer = NamedDependency[Account | None]

#: A page handler's parameter ``person: Person``, on a page behind sign-in: the signed-in account.
Person = NamedDependency[Account]


async def _viewer(request: Request[Any, Any, Any]) -> Account | None:
    user = request.scope.get("user")
    if isinstance(user, Account):  # a page behind sign-in: the session auth read it already
        return user
    session = request.scope.get("session")
    account_id = session.get("account") if isinstance(session, dict) else None
    if not isinstance(account_id, int):
        return None
    accounts = lab_state(request.app.state).services.accounts
    return await anyio.to_thread.run_sync(accounts.active_account, account_id)


viewer_dependency = Provide(_viewer)


async def _person(request: Request[Account, Any, Any]) -> Account:
    return request.user


person_dependency = Provide(_person)

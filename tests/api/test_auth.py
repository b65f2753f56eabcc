"""Signing in and the role guards, through HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import Session

from api.auth import requires
from labsys.companies.accounts import Account
from labsys.companies.models import Role, User
from labsys.errors import PermissionDenied
from tests.api.conftest import Client
from tests.factories import PASSWORD, make_company, make_user

pytestmark = pytest.mark.integration


def test_right_password_gives_a_bearer_token_that_identifies_the_user(client: Client, session: Session) -> None:
    _, user = make_company(session)
    response = client.post("/api/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    me = client.get("/api/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert "password_hash" not in me.json()


def test_wrong_password_is_401(client: Client, session: Session) -> None:
    _, user = make_company(session)
    response = client.post("/api/auth/token", json={"email": user.email, "password": "not the password"})
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong email or password"


def test_unknown_email_is_401_with_the_same_detail(client: Client) -> None:
    response = client.post("/api/auth/token", json={"email": "nobody@example.com", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong email or password"


def test_a_request_without_a_token_is_401(client: Client) -> None:
    assert client.get("/api/users/me").status_code == 401


def test_a_forged_token_is_401(client: Client) -> None:
    assert client.get("/api/users/me", headers={"Authorization": "Bearer not.a.token"}).status_code == 401


def test_customer_token_on_a_staff_endpoint_is_403_with_the_reason(
    client: Client, session: Session, login: Callable[[User], dict[str, str]]
) -> None:
    _, customer = make_company(session)
    response = client.get("/api/instruments", headers=login(customer))
    assert response.status_code == 403
    assert "engineer" in response.json()["detail"]


def test_a_deactivated_user_loses_access_at_once(
    client: Client, session: Session, login: Callable[[User], dict[str, str]]
) -> None:
    engineer = make_user(session, Role.ENGINEER)
    headers = login(engineer)
    engineer.active = False
    session.add(engineer)
    session.commit()
    assert client.get("/api/users/me", headers=headers).status_code == 401


def test_staff_roles_reach_staff_endpoints(
    client: Client, session: Session, login: Callable[[User], dict[str, str]]
) -> None:
    for role in (Role.ENGINEER, Role.REVIEWER, Role.ADMIN):
        user = make_user(session, role)
        assert client.get("/api/instruments", headers=login(user)).status_code == 200


def test_a_role_guard_admits_its_roles_and_names_them_to_anyone_else() -> None:
    guard = requires(Role.ADMIN)

    def signed_in(role: Role) -> Any:
        return SimpleNamespace(user=Account(1, "someone@example.com", "Someone", role, None), scope={"method": "GET"})

    assert asyncio.run(guard(signed_in(Role.ADMIN), None)) is None
    with pytest.raises(PermissionDenied, match="this needs the role admin; you are signed in as customer"):
        asyncio.run(guard(signed_in(Role.CUSTOMER), None))


def test_asking_which_methods_a_guarded_address_takes_needs_no_sign_in(client: Client) -> None:
    response = client.options("/api/instruments/SMU-01/status")  # staff only: a guard used to fail on it (500)

    assert response.status_code == 204
    assert "POST" in response.headers["allow"]

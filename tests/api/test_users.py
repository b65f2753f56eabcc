"""Admins manage users and engineer qualifications."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from labsys.companies.models import Role, User
from tests.api.conftest import Client
from tests.factories import PASSWORD, make_company, make_user

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


def test_an_admin_creates_an_engineer_who_can_sign_in(client: Client, session: Session, login: Login) -> None:
    admin = login(make_user(session, Role.ADMIN))
    body = {"email": "new.engineer@lab.example.com", "name": "New", "password": PASSWORD, "role": "engineer"}
    response = client.post("/api/users", json=body, headers=admin)
    assert response.status_code == 201, response.text
    token = client.post("/api/auth/token", json={"email": body["email"], "password": PASSWORD})
    assert token.status_code == 200


def test_a_customer_needs_a_company_and_staff_have_none(client: Client, session: Session, login: Login) -> None:
    admin = login(make_user(session, Role.ADMIN))
    company, _ = make_company(session)
    customer = {"email": "c@example.com", "name": "C", "password": PASSWORD, "role": "customer"}
    response = client.post("/api/users", json=customer, headers=admin)
    assert response.status_code == 422
    assert "company_id" in response.json()["detail"]
    staff = {"email": "e@lab.example.com", "name": "E", "password": PASSWORD, "role": "engineer"}
    response = client.post("/api/users", json={**staff, "company_id": company.id}, headers=admin)
    assert response.status_code == 422


def test_an_admin_sets_an_engineers_qualifications(client: Client, session: Session, login: Login) -> None:
    engineer = make_user(session, Role.ENGINEER)
    admin = login(make_user(session, Role.ADMIN))
    response = client.put(
        f"/api/users/{engineer.id}/qualifications", json={"qualifications": ["smu", "dmm", "smu"]}, headers=admin
    )
    assert response.status_code == 200
    assert response.json()["qualifications"] == ["dmm", "smu"]


def test_only_admins_manage_users(client: Client, session: Session, login: Login) -> None:
    engineer = make_user(session, Role.ENGINEER)
    headers = login(engineer)
    assert client.get("/api/users", headers=headers).status_code == 403
    response = client.put(f"/api/users/{engineer.id}/qualifications", json={"qualifications": ["x"]}, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "password12", "new.engineer@lab.example.com"])
def test_an_admin_cannot_give_a_new_user_a_password_easy_to_guess(
    client: Client, session: Session, login: Login, password: str
) -> None:
    admin = login(make_user(session, Role.ADMIN))
    body = {"email": "new.engineer@lab.example.com", "name": "New", "password": password, "role": "engineer"}
    response = client.post("/api/users", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["extra"]["rule"] == "password_strength"

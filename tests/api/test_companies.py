"""Registering companies through HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, func, select

from labsys.audit.models import AuditEvent
from labsys.companies.models import Company, Role, User
from tests.api.conftest import Client
from tests.factories import PASSWORD, make_company, make_user

pytestmark = pytest.mark.integration


def registration(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "(주)한빛소재",
        "business_registration_number": "124-81-00998",
        "address": "경상남도 창원시 성산구 공단로 12",
        "contact_name": "김민준",
        "contact_email": "minjun.kim@hanbit.example.com",
        "password": PASSWORD,
    }
    body.update(changes)
    return body


def count(session: Session, model: type[Any]) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_registering_a_company_creates_it_and_its_first_customer_who_can_sign_in(
    client: Client, session: Session
) -> None:
    response = client.post("/api/companies", json=registration())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["company"]["name"] == "(주)한빛소재"
    assert body["company"]["business_registration_number"] == "124-81-00998"
    assert body["user"]["role"] == "customer"
    assert body["user"]["company_id"] == body["company"]["id"]
    token = client.post("/api/auth/token", json={"email": "minjun.kim@hanbit.example.com", "password": PASSWORD})
    assert token.status_code == 200
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["company.registered", "user.created"]


def test_bad_registration_number_is_422_naming_the_field_and_writes_nothing(client: Client, session: Session) -> None:
    response = client.post("/api/companies", json=registration(business_registration_number="124-81-00997"))
    assert response.status_code == 422
    body = response.json()
    assert "business_registration_number" in body["detail"]
    assert "check digit" in body["detail"]
    assert body["extra"]["fields"] == ["business_registration_number"]
    assert count(session, Company) == 0
    assert count(session, User) == 0
    assert count(session, AuditEvent) == 0


@pytest.mark.parametrize("number", ["12481009", "12a-81-00998", "", "124-81-009981"])
def test_malformed_registration_number_is_422(client: Client, session: Session, number: str) -> None:
    response = client.post("/api/companies", json=registration(business_registration_number=number))
    assert response.status_code == 422
    assert "business_registration_number" in response.json()["detail"]
    assert count(session, Company) == 0


def test_duplicate_registration_number_is_409_and_the_first_company_is_untouched(
    client: Client, session: Session
) -> None:
    assert client.post("/api/companies", json=registration()).status_code == 201
    again = client.post("/api/companies", json=registration(name="Other", contact_email="other@example.com"))
    assert again.status_code == 409
    assert "124-81-00998" in again.json()["detail"]
    assert session.exec(select(Company.name)).all() == ["(주)한빛소재"]
    assert count(session, User) == 1


def test_duplicate_contact_email_is_409_and_no_company_is_left_behind(client: Client, session: Session) -> None:
    assert client.post("/api/companies", json=registration()).status_code == 201
    again = client.post("/api/companies", json=registration(business_registration_number="101-81-00016"))
    assert again.status_code == 409
    assert count(session, Company) == 1


def test_a_customer_reads_its_own_company_and_gets_404_for_another(
    client: Client, session: Session, login: Callable[[User], dict[str, str]]
) -> None:
    own, customer = make_company(session)
    other, _ = make_company(session)
    headers = login(customer)
    assert client.get(f"/api/companies/{own.id}", headers=headers).status_code == 200
    response = client.get(f"/api/companies/{other.id}", headers=headers)
    assert response.status_code == 404
    assert client.get("/api/companies", headers=headers).status_code == 403


def test_staff_read_every_company(client: Client, session: Session, login: Callable[[User], dict[str, str]]) -> None:
    make_company(session)
    make_company(session)
    response = client.get("/api/companies", headers=login(make_user(session, Role.REVIEWER)))
    assert response.status_code == 200
    assert len(response.json()) == 2

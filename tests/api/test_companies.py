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
    assert response.status_code == 202, response.text
    assert "sign in" in response.json()["detail"]
    token = client.post("/api/auth/token", json={"email": "minjun.kim@hanbit.example.com", "password": PASSWORD})
    assert token.status_code == 200
    me = client.get("/api/users/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}).json()
    company = session.exec(select(Company)).one()
    assert (company.name, company.business_registration_number) == ("(주)한빛소재", "1248100998")
    assert (me["role"], me["company_id"]) == ("customer", company.id)
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


def test_registering_a_taken_email_answers_exactly_as_a_new_one_and_changes_nothing(
    client: Client, session: Session
) -> None:
    new = client.post("/api/companies", json=registration())
    taken = client.post("/api/companies", json=registration(name="Other", business_registration_number="220-81-62517"))
    assert (taken.status_code, taken.json()) == (new.status_code, new.json())
    assert taken.headers["content-type"] == new.headers["content-type"]
    assert count(session, Company) == 1
    assert count(session, User) == 1
    # The owner's password still works; the stranger's does not.
    other = {"email": "minjun.kim@hanbit.example.com", "password": "a stranger's own passphrase"}
    assert client.post("/api/auth/token", json=other).status_code == 401


def test_registering_a_taken_number_answers_exactly_as_a_new_one_and_leaves_the_company_untouched(
    client: Client, session: Session
) -> None:
    new = client.post("/api/companies", json=registration())
    taken = client.post("/api/companies", json=registration(name="Other", contact_email="other@example.com"))
    assert (taken.status_code, taken.json()) == (new.status_code, new.json())
    assert session.exec(select(Company.name)).all() == ["(주)한빛소재"]
    assert count(session, User) == 1


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "password12", "hanbitminjun", "minjun.kim@hanbit.example.com"])
def test_a_password_easy_to_guess_is_422_saying_why_and_writes_nothing(
    client: Client, session: Session, password: str
) -> None:
    response = client.post("/api/companies", json=registration(password=password))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"].startswith("this password is too easy to guess")
    assert (body["extra"]["field"], body["extra"]["rule"]) == ("password", "password_strength")
    assert count(session, Company) == 0


def test_an_all_zero_registration_number_is_422(client: Client, session: Session) -> None:
    response = client.post("/api/companies", json=registration(business_registration_number="000-00-00000"))
    assert response.status_code == 422
    assert "no business is given it" in response.json()["detail"]
    assert count(session, Company) == 0


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


def test_an_admin_corrects_a_company_record_and_the_audit_trail_keeps_old_and_new_values(
    client: Client, session: Session, login: Callable[[User], dict[str, str]]
) -> None:
    company, _ = make_company(session, name="Hanbit Materals")
    old_number = company.business_registration_number
    admin = login(make_user(session, Role.ADMIN))
    correction = {"name": "Hanbit Materials", "business_registration_number": "220-81-62517", "reason": "typo"}

    response = client.patch(f"/api/companies/{company.id}", json=correction, headers=admin)

    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Hanbit Materials"
    assert response.json()["business_registration_number"] == "220-81-62517"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "company.corrected")).one()
    assert event.before is not None
    assert event.after is not None
    assert (event.before["name"], event.before["business_registration_number"]) == ("Hanbit Materals", old_number)
    assert (event.after["name"], event.after["business_registration_number"]) == ("Hanbit Materials", "2208162517")
    assert event.after["reason"] == "typo"


def test_only_an_admin_corrects_a_company_and_a_bad_or_taken_number_is_refused(
    client: Client, session: Session, login: Callable[[User], dict[str, str]]
) -> None:
    company, customer = make_company(session)
    other, _ = make_company(session)
    change = {"name": "Anything Else", "reason": "because"}
    assert client.patch(f"/api/companies/{company.id}", json=change, headers=login(customer)).status_code == 403
    admin = login(make_user(session, Role.ADMIN))
    zero = {"business_registration_number": "0000000000", "reason": "test"}
    assert client.patch(f"/api/companies/{company.id}", json=zero, headers=admin).status_code == 422
    taken = {"business_registration_number": other.business_registration_number, "reason": "test"}
    assert client.patch(f"/api/companies/{company.id}", json=taken, headers=admin).status_code == 409
    cleared = {"address": None, "reason": "moved"}
    assert client.patch(f"/api/companies/{company.id}", json=cleared, headers=admin).status_code == 422
    unchanged = {"name": company.name, "reason": "nothing"}
    assert client.patch(f"/api/companies/{company.id}", json=unchanged, headers=admin).status_code == 422
    assert client.patch("/api/companies/999999", json=change, headers=admin).status_code == 404

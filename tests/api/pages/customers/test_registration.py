"""Registering a company through the page: the 사업자등록번호 checked as it is typed, errors next to each field,
and the new user signed in at once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, func, select

from labsys.companies.models import Company, User
from tests.api.pages.conftest import Client, csrf_token
from tests.factories import PASSWORD, Lab

pytestmark = pytest.mark.integration


def _registration(**changes: str) -> dict[str, str]:
    form = {
        "name": "(주)한빛소재",
        "business_registration_number": "124-81-00998",
        "address": "경상남도 창원시 성산구 공단로 12",
        "contact_name": "김민준",
        "contact_email": "minjun.kim@hanbit.example.com",
        "contact_phone": "055-123-4567",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    form.update(changes)
    return form


def _register(client: Client, **changes: str) -> Any:
    token = csrf_token(client.get("/register").text)
    return client.post("/register", data={**_registration(**changes), "_csrf_token": token}, follow_redirects=False)


def _count(session: Session, model: type[Any]) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_number_field_asks_for_its_check_as_it_is_typed(client: Client) -> None:
    form = client.get("/register").text

    assert 'hx-get="/register/brn"' in form
    assert 'hx-trigger="input changed delay:300ms"' in form
    assert 'id="business_registration_number-check" aria-live="polite"' in form


def test_a_valid_number_is_said_to_be_valid_dashed(client: Client) -> None:
    response = client.get("/register/brn", params={"business_registration_number": "1248100998"})

    assert response.status_code == 200
    assert "124-81-00998은(는) 올바른 사업자등록번호입니다." in response.text
    assert "<html" not in response.text  # a fragment, not a page


def test_a_wrong_check_digit_and_a_short_number_are_each_explained(client: Client) -> None:
    wrong_digit = client.get("/register/brn", params={"business_registration_number": "124-81-00997"}).text
    too_short = client.get("/register/brn", params={"business_registration_number": "124-81"}).text

    assert "검증 번호(마지막 자리)가 맞지 않습니다" in wrong_digit
    assert "사업자등록번호는 숫자 10자리입니다" in too_short
    assert client.get("/register/brn", params={"business_registration_number": ""}).text.strip() == ""


def test_registering_signs_the_new_user_in_and_lands_on_their_bookings(client: Client, session: Session) -> None:
    response = _register(client)

    assert response.status_code == 303
    assert response.headers["location"] == "/bookings"
    bookings = client.get("/bookings", follow_redirects=False)
    assert bookings.status_code == 200
    assert "김민준" in bookings.text
    token = client.post("/api/auth/token", json={"email": "minjun.kim@hanbit.example.com", "password": PASSWORD})
    assert token.status_code == 200
    company = session.exec(select(Company)).one()
    assert (company.name, company.business_registration_number) == ("(주)한빛소재", "1248100998")


def test_bad_input_is_422_with_each_error_next_to_its_field_and_nothing_stored(
    client: Client, session: Session
) -> None:
    response = _register(
        client,
        business_registration_number="124-81-00997",
        contact_email="not-an-address",
        password="short",
        password_again="other",
        name="",
    )

    assert response.status_code == 422
    page = response.text
    assert "검증 번호(마지막 자리)가 맞지 않습니다" in page
    assert 'id="name-error">이 항목을 입력하세요.' in page
    assert 'id="contact_email-error">이메일 주소를 입력하세요' in page
    assert 'id="password-error">10자 이상 입력하세요.' in page
    assert 'id="password_again-error">두 비밀번호가 서로 다릅니다.' in page
    assert 'value="not-an-address"' in page  # what was typed stays
    assert PASSWORD not in page
    assert _count(session, Company) == 0
    assert _count(session, User) == 0


def test_a_number_already_registered_is_refused_next_to_the_field(client: Client, lab: Lab, session: Session) -> None:
    taken = lab.company.business_registration_number

    response = _register(client, business_registration_number=taken)

    assert response.status_code == 409
    assert "이 사업자등록번호로 이미 등록된 회사가 있습니다" in response.text
    assert _count(session, Company) == 2


def test_registering_without_the_csrf_token_is_refused(client: Client, session: Session) -> None:
    client.get("/register")

    response = client.post("/register", data=_registration(), follow_redirects=False)

    assert response.status_code == 403
    assert _count(session, Company) == 0

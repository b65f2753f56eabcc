"""Registering a company through the page: the 사업자등록번호 checked as it is typed, errors next to each field,
and an answer that is the same whether or not the email or the company was registered already."""

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


def test_registering_sends_the_person_to_sign_in_where_the_new_account_works(client: Client, session: Session) -> None:
    response = _register(client)

    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?registered=true"
    form = client.get(response.headers["location"]).text
    assert "등록 신청을 받았습니다" in form
    token = csrf_token(form)
    signed_in = client.post(
        "/sign-in",
        data={"email": "minjun.kim@hanbit.example.com", "password": PASSWORD, "_csrf_token": token},
        follow_redirects=False,
    )
    assert signed_in.headers["location"] == "/bookings"
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


def test_a_taken_number_or_email_is_answered_exactly_as_a_new_registration(
    client: Client, lab: Lab, session: Session
) -> None:
    new = _register(client, business_registration_number="220-81-62517", contact_email="new@hanbit.example.com")
    client.cookies.clear()
    taken_number = _register(client, business_registration_number=lab.company.business_registration_number)
    client.cookies.clear()
    taken_email = _register(client, contact_email=lab.customer.email)

    for taken in (taken_number, taken_email):
        assert (taken.status_code, taken.headers["location"], taken.text) == (
            new.status_code,
            new.headers["location"],
            new.text,
        )
    assert _count(session, Company) == 3  # the lab's two, and the new one


def test_a_password_easy_to_guess_is_refused_next_to_its_field_in_korean(client: Client, session: Session) -> None:
    response = _register(client, password="password12", password_again="password12")

    assert response.status_code == 422
    assert 'id="password-error">이 비밀번호는 너무 쉽게 추측됩니다' in response.text
    assert _count(session, Company) == 0


def test_an_all_zero_number_is_explained(client: Client) -> None:
    checked = client.get("/register/brn", params={"business_registration_number": "000-00-00000"}).text

    assert "어떤 사업자에게도 발급되지 않는 번호" in checked


def test_registering_without_the_csrf_token_is_refused(client: Client, session: Session) -> None:
    client.get("/register")

    response = client.post("/register", data=_registration(), follow_redirects=False)

    assert response.status_code == 403
    assert _count(session, Company) == 0

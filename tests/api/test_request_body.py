"""A body is read as its handler takes it: JSON only as ``application/json``, not too deep, not too large; a form's
fields and a JSON body's strings without NUL; a PDF's bytes as they are."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlmodel import Session

from labsys.bookings.models import Booking
from labsys.companies.models import Company, User
from tests.api.conftest import Client
from tests.api.pages.conftest import csrf_token
from tests.api.test_companies import count, registration
from tests.factories import Lab

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]

BOOKING = {"method": "DIODE-IV", "samples": [{"label": "D-1", "description": "1N4148"}], "start": "earliest"}


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "text/plain; charset=utf-8", "application/octet-stream", "application/x-www-form-urlencoded"],
)
def test_a_json_body_under_another_content_type_is_415_and_books_nothing(
    client: Client, lab: Lab, login: Login, session: Session, content_type: str | None
) -> None:
    headers = login(lab.customer) | ({"Content-Type": content_type} if content_type else {})

    response = client.post("/api/bookings", content=json.dumps(BOOKING).encode(), headers=headers)

    assert response.status_code == 415, response.text
    assert response.json()["detail"].startswith("send the body as JSON, with Content-Type: application/json")
    assert count(session, Booking) == 0


def test_a_multipart_form_where_json_is_taken_is_415(client: Client, session: Session) -> None:
    response = client.post("/api/companies", files={"name": ("name.txt", "(주)한빛소재".encode(), "text/plain")})

    assert response.status_code == 415
    assert count(session, Company) == 0


def test_the_same_body_as_application_json_books(client: Client, lab: Lab, login: Login) -> None:
    headers = login(lab.customer) | {"Content-Type": "application/json; charset=utf-8"}

    response = client.post("/api/bookings", content=json.dumps(BOOKING).encode(), headers=headers)

    assert response.status_code == 201, response.text


def test_json_nested_a_thousand_levels_deep_is_422_without_a_server_error(
    client: Client, lab: Lab, login: Login
) -> None:
    deep = "[" * 1000 + "]" * 1000
    for body in (deep, json.dumps(BOOKING)[:-1] + f', "note": {deep}}}'):
        response = client.post(
            "/api/bookings", content=body, headers=login(lab.customer) | {"Content-Type": "application/json"}
        )
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == "the body's JSON nests deeper than 32 levels"


def test_brackets_inside_text_are_text_not_nesting(client: Client, lab: Lab, login: Login) -> None:
    note = "[" * 200 + "{" * 200

    response = client.post("/api/bookings", json={**BOOKING, "note": note}, headers=login(lab.customer))

    assert response.status_code == 201, response.text
    assert response.json()["note"] == note


def test_a_json_body_over_a_mebibyte_is_413_saying_the_limit(client: Client, lab: Lab, login: Login) -> None:
    body = json.dumps({**BOOKING, "note": "x" * (1 << 20)})

    response = client.post(
        "/api/bookings", content=body, headers=login(lab.customer) | {"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json()["detail"] == "the request body is larger than 1.05 MB, the most this address takes"


def test_malformed_json_is_400_saying_so(client: Client, session: Session) -> None:
    response = client.post("/api/companies", content=b'{"name": ', headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("the body is not valid JSON")
    assert count(session, Company) == 0


def test_nul_in_text_plain_is_refused_and_nothing_is_stored(client: Client, session: Session) -> None:
    body = json.dumps(registration(name="Han\x00bit")).encode()

    response = client.post("/api/companies", content=body, headers={"Content-Type": "text/plain"})

    assert response.status_code == 415
    assert count(session, Company) == 0


def test_nul_in_a_page_form_is_422_on_a_page_and_nothing_is_stored(client: Client, session: Session) -> None:
    token = csrf_token(client.get("/register").text)
    form = {
        "name": "Han\x00bit",
        "business_registration_number": "124-81-00998",
        "address": "12 Gongdan-ro",
        "contact_name": "Kim",
        "contact_email": "kim@hanbit.example.com",
        "password": "correct horse battery",
        "password_again": "correct horse battery",
        "_csrf_token": token,
    }

    response = client.post("/register", data=form, headers={"Accept": "text/html"}, follow_redirects=False)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "\\u0000" in response.text
    assert count(session, Company) == 0


def test_a_form_without_nul_still_registers_through_the_page(client: Client, session: Session) -> None:
    token = csrf_token(client.get("/register").text)
    form = registration() | {"password_again": registration()["password"], "_csrf_token": token}

    response = client.post("/register", data=form, follow_redirects=False)

    assert response.status_code in (302, 303), response.text
    assert count(session, Company) == 1

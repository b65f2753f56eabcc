"""Receiving samples through the page: each sample's condition stored as the API stores it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from labsys.companies.models import User
from tests.api.pages.conftest import Client, csrf_token
from tests.api.pages.engineers.booked import Login, book, confirmed, post_form, starts
from tests.factories import Lab

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]


def test_the_engineer_records_each_samples_condition_and_goes_on_to_the_booking(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = confirmed(client, login, lab.customer, starts(), samples=2)
    first, second = (s["id"] for s in booking["samples"])
    sign_in_page(lab.engineer)
    page = f"/bookings/{booking['id']}/receive"

    form = client.get(page)
    response = post_form(client, page, {f"condition-{first}": "이상 없음, 밀봉", f"condition-{second}": "리드 휨"})

    assert form.status_code == 200
    assert f"예약 #{booking['id']} 시료 접수" in form.text
    assert response.status_code == 303
    assert response.headers["location"] == f"/bookings/{booking['id']}"
    stored = client.get(f"/api/bookings/{booking['id']}", headers=login(lab.engineer)).json()
    assert stored["status"] == "sample_received"
    assert [s["condition_on_receipt"] for s in stored["samples"]] == ["이상 없음, 밀봉", "리드 휨"]


def test_a_sample_without_its_condition_is_refused_next_to_it_and_nothing_is_stored(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = confirmed(client, login, lab.customer, starts(), samples=2)
    first, second = (s["id"] for s in booking["samples"])
    sign_in_page(lab.engineer)
    page = f"/bookings/{booking['id']}/receive"

    response = post_form(client, page, {f"condition-{first}": "이상 없음", f"condition-{second}": "  "})

    assert response.status_code == 422
    html = response.text
    assert f'id="condition-{second}-error"' in html
    assert f'id="condition-{first}-error"' not in html
    assert "이상 없음" in html  # what was typed is kept
    stored = client.get(f"/api/bookings/{booking['id']}", headers=login(lab.engineer)).json()
    assert stored["status"] == "confirmed"
    assert [s["received_at"] for s in stored["samples"]] == [None, None]


def test_a_booking_the_customer_has_not_confirmed_says_why_its_samples_cannot_be_received(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = book(client, login, lab.customer, starts())
    sample = booking["samples"][0]["id"]
    sign_in_page(lab.engineer)
    page = f"/bookings/{booking['id']}/receive"

    form = client.get(page)
    response = client.post(
        page, data={f"condition-{sample}": "이상 없음", "_csrf_token": csrf_token(form.text)}, follow_redirects=False
    )

    assert "<textarea" not in form.text
    assert "견적" in form.text  # the booking's status: quoted
    assert response.status_code == 409
    assert 'role="alert"' in response.text
    assert client.get(f"/api/bookings/{booking['id']}", headers=login(lab.engineer)).json()["status"] == "quoted"


def test_a_customer_may_not_receive_samples(client: Client, lab: Lab, login: Login, sign_in_page: SignIn) -> None:
    booking = confirmed(client, login, lab.customer, starts())
    sign_in_page(lab.customer)

    response = client.get(f"/bookings/{booking['id']}/receive", headers={"Accept": "text/html"})

    assert response.status_code == 403


def test_a_receipt_without_its_csrf_token_is_refused(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = confirmed(client, login, lab.customer, starts())
    sign_in_page(lab.engineer)

    response = client.post(
        f"/bookings/{booking['id']}/receive", data={f"condition-{booking['samples'][0]['id']}": "이상 없음"}
    )

    assert response.status_code == 403
    assert client.get(f"/api/bookings/{booking['id']}", headers=login(lab.engineer)).json()["status"] == "confirmed"

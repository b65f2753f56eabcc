"""A person's account page: changing the password, and a secret calendar address shown once, replaced or stopped."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest

from labsys.companies.models import User
from tests.api.pages.conftest import Client, csrf_token
from tests.factories import PASSWORD, Lab

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]


def _post(client: Client, action: str, **data: str) -> httpx.Response:
    token = csrf_token(client.get("/account").text)
    return client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)


def _shown_address(html: str) -> str:
    found = re.search(r'id="calendar-url" type="text" readonly value="[^"]*(/calendar/[^"]+\.ics)"', html)
    assert found, "the page shows no calendar address"
    return found.group(1)


def test_the_account_page_is_linked_from_every_page_and_offers_a_calendar_address(
    client: Client, lab: Lab, sign_in_page: SignIn
) -> None:
    sign_in_page(lab.customer)
    bookings = client.get("/bookings").text
    assert 'href="/account"' in bookings
    page = client.get("/account").text
    assert "아직 캘린더 주소가 없습니다." in page
    assert "내 캘린더 주소 만들기" in page


def test_a_new_calendar_address_is_shown_once_works_without_sign_in_and_stops_when_replaced(
    client: Client, lab: Lab, sign_in_page: SignIn
) -> None:
    sign_in_page(lab.customer)
    made = _post(client, "/account/calendar-address")
    first = _shown_address(made.text)
    assert made.headers["cache-control"] == "no-store"
    assert first not in client.get("/account").text  # shown once: the lab keeps only its hash

    replaced = _post(client, "/account/calendar-address")
    second = _shown_address(replaced.text)
    client.cookies.clear()

    assert client.get(first).status_code == 404
    feed = client.get(second)
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"


def test_stopping_the_calendar_address_makes_it_404(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)
    address = _shown_address(_post(client, "/account/calendar-address").text)

    stopped = _post(client, "/account/calendar-address/revoke")

    assert stopped.status_code == 303
    assert client.get(address).status_code == 404


def test_changing_the_password_needs_the_current_one_and_a_new_one_hard_to_guess(
    client: Client, lab: Lab, sign_in_page: SignIn
) -> None:
    sign_in_page(lab.engineer)
    new = "quiet orchard lantern 42"

    wrong = _post(client, "/account/password", current_password="nope", new_password=new, new_password_again=new)
    weak = _post(
        client,
        "/account/password",
        current_password=PASSWORD,
        new_password="password12",
        new_password_again="password12",
    )
    changed = _post(client, "/account/password", current_password=PASSWORD, new_password=new, new_password_again=new)

    assert wrong.status_code == 422
    assert 'id="current_password-error">현재 비밀번호가 올바르지 않습니다.' in wrong.text
    assert weak.status_code == 422
    assert 'id="new_password-error">이 비밀번호는 너무 쉽게 추측됩니다' in weak.text
    assert changed.headers["location"] == "/account?changed=true"
    assert "비밀번호를 바꿨습니다." in client.get("/account?changed=true").text
    token = client.post("/api/auth/token", json={"email": lab.engineer.email, "password": new})
    assert token.status_code == 200

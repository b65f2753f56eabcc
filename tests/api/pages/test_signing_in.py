"""Signing in to the pages: a form with a CSRF token, a session cookie, the role's start page, signing out."""

from __future__ import annotations

from collections.abc import Callable

from labsys.companies.models import User
from tests.api.pages.conftest import Client, csrf_token
from tests.factories import PASSWORD, Lab


def test_signing_in_lands_each_role_on_its_start_page(client: Client, lab: Lab) -> None:
    homes = [(lab.customer, "/bookings"), (lab.engineer, "/schedule"), (lab.admin, "/admin/users")]
    for user, home in homes:
        client.cookies.clear()
        token = csrf_token(client.get("/sign-in").text)

        response = client.post(
            "/sign-in", data={"email": user.email, "password": PASSWORD, "_csrf_token": token}, follow_redirects=False
        )

        assert response.status_code in (302, 303)
        assert response.headers["location"] == home


def test_the_session_cookie_is_http_only_and_same_site(client: Client, lab: Lab) -> None:
    token = csrf_token(client.get("/sign-in").text)

    response = client.post(
        "/sign-in",
        data={"email": lab.customer.email, "password": PASSWORD, "_csrf_token": token},
        follow_redirects=False,
    )

    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("labsys_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie


def test_a_wrong_password_shows_the_form_again_with_the_reason(client: Client, lab: Lab) -> None:
    token = csrf_token(client.get("/sign-in").text)

    response = client.post(
        "/sign-in", data={"email": lab.customer.email, "password": "wrong-password", "_csrf_token": token}
    )

    assert response.status_code == 401
    assert "이메일 또는 비밀번호가 올바르지 않습니다" in response.text
    assert f'value="{lab.customer.email}"' in response.text  # what was typed is kept
    assert "labsys_session=" not in response.headers.get("set-cookie", "")


def test_a_form_without_its_csrf_token_is_refused(client: Client, lab: Lab) -> None:
    client.get("/sign-in")

    response = client.post("/sign-in", data={"email": lab.customer.email, "password": PASSWORD})

    assert response.status_code == 403
    assert "labsys_session=" not in response.headers.get("set-cookie", "")


def test_a_page_behind_sign_in_sends_a_visitor_to_the_form_and_back(client: Client, lab: Lab) -> None:
    response = client.get("/bookings", headers={"Accept": "text/html"}, follow_redirects=False)

    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/sign-in?next=/bookings"


def test_signing_in_returns_to_the_page_asked_for_but_never_another_site(client: Client, lab: Lab) -> None:
    for asked, landing in (("/methods/DIODE-IV", "/methods/DIODE-IV"), ("//evil.example/x", "/bookings")):
        token = csrf_token(client.get("/sign-in").text)
        response = client.post(
            "/sign-in",
            data={"email": lab.customer.email, "password": PASSWORD, "next": asked, "_csrf_token": token},
            follow_redirects=False,
        )
        assert response.headers["location"] == landing


def test_signing_out_ends_the_session(client: Client, lab: Lab, sign_in_page: Callable[[User], None]) -> None:
    sign_in_page(lab.customer)
    assert lab.customer.name in client.get("/").text

    token = csrf_token(client.get("/").text)
    response = client.post("/sign-out", data={"_csrf_token": token}, follow_redirects=False)

    assert response.status_code in (302, 303)
    assert lab.customer.name not in client.get("/").text
    assert client.get("/bookings", headers={"Accept": "text/html"}, follow_redirects=False).status_code in (302, 303)


def test_the_api_keeps_bearer_tokens_and_ignores_the_session(
    client: Client, lab: Lab, sign_in_page: Callable[[User], None]
) -> None:
    sign_in_page(lab.customer)

    assert client.get("/api/bookings").status_code == 401


def test_the_eleventh_wrong_password_shows_the_form_with_the_wait_and_a_retry_after(client: Client, lab: Lab) -> None:
    for expected in [401] * 10 + [429]:
        token = csrf_token(client.get("/sign-in").text)
        response = client.post(
            "/sign-in", data={"email": lab.customer.email, "password": "wrong-password", "_csrf_token": token}
        )
        assert response.status_code == expected

    assert "이곳에서 잘못된 비밀번호를 너무 많이 입력했습니다" in response.text
    assert 0 < int(response.headers["retry-after"]) <= 60

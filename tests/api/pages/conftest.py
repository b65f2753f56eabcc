"""Pages seen through an HTTP client: a browser's requests without the browser."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from labsys.companies.models import User
from tests.factories import PASSWORD

Client = TestClient[Litestar]

_CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token a page's form carries."""
    found = _CSRF_INPUT.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def submit(client: Client, form_page: str, action: str, data: dict[str, str]) -> object:
    """Open ``form_page`` as a browser does, then post its form to ``action`` with ``data`` and its CSRF token."""
    token = csrf_token(client.get(form_page).text)
    return client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)


@pytest.fixture
def sign_in_page(client: Client) -> Callable[[User], None]:
    """Sign ``user`` in through the sign-in form: the client then carries the session cookie."""

    def sign_in(user: User) -> None:
        token = csrf_token(client.get("/sign-in").text)
        response = client.post(
            "/sign-in",
            data={"email": user.email, "password": PASSWORD, "_csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code in (302, 303), response.text

    return sign_in

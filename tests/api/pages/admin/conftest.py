"""The admin's pages seen through an HTTP client: the admin signed in, forms posted as a browser posts them, and
where a form says what is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import httpx
import pytest

from labsys.companies.models import User
from tests.api.pages.conftest import Client, csrf_token
from tests.factories import Lab

SignInPage = Callable[[User], None]
Login = Callable[[User], dict[str, str]]
HTML = {"Accept": "text/html"}


def post_form(
    client: Client,
    form_page: str,
    action: str,
    data: Mapping[str, str | Sequence[str]],
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """Open ``form_page``, then post its form to ``action`` with ``data`` and the page's CSRF token (no
    redirect followed)."""
    token = csrf_token(client.get(form_page).text)
    return client.post(
        action, data={**data, "_csrf_token": token}, headers={**HTML, **(headers or {})}, follow_redirects=False
    )


def error_next_to(html: str, field: str) -> str:
    """The problem a form shows right below the field whose id is ``field``, which the field names as its
    description."""
    control = re.search(rf'<(?:input|select|textarea) id="{field}"[^>]*>', html)
    assert control, f"no field {field!r} on the page"
    assert f"{field}-error" in control.group(0), f"the field {field!r} is not described by an error"
    shown = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert shown, f"no error below {field!r}"
    return shown.group(1)


@pytest.fixture
def admin_signed_in(lab: Lab, sign_in_page: SignInPage) -> Lab:
    """The lab, with its admin signed in to the pages."""
    sign_in_page(lab.admin)
    return lab

"""Booking through the pages as a customer's browser does."""

from __future__ import annotations

import html
import re
from typing import Any

from tests.api.pages.conftest import Client, csrf_token

_SLOT = re.compile(r'name="start" value="(\d{4}-[^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"\s*/?>')


def free_starts(html: str) -> list[str]:
    """The starts a page's calendar offers, earliest first (ISO 8601, as the form posts them)."""
    return _SLOT.findall(html)


def book(client: Client, *, method: str = "DIODE-IV", start: str = "earliest", **fields: str) -> Any:
    """Open the booking form for ``method`` and post it: two pieces of one sample unless ``fields`` say else."""
    token = csrf_token(client.get(f"/bookings/new?method={method}").text)
    form = {
        "method": method,
        "samples-0-label": "D-1",
        "samples-0-description": "1N4148 다이오드",
        "samples-0-quantity": "2",
        "urgency": "standard",
        "start": start,
        "_csrf_token": token,
        **fields,
    }
    return client.post("/bookings/new", data=form, follow_redirects=False)


def post_form(client: Client, page: str, action: str) -> Any:
    """Post the form of ``page`` that goes to ``action`` with its hidden fields, as pressing its button does."""
    found = re.search(rf'<form method="post" action="{re.escape(action)}">(.*?)</form>', page, re.S)
    assert found, f"no form posts to {action}"
    fields = {name: html.unescape(value) for name, value in _HIDDEN.findall(found.group(1))}
    return client.post(action, data=fields, follow_redirects=False)


def booking_id(response: Any) -> int:
    """The id of the booking a successful booking form redirected to."""
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/bookings/(\d+)", response.headers["location"])
    assert found
    return int(found.group(1))

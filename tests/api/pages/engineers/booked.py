"""Bookings made through the API, as the engineers' pages find them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx

from labsys.companies.models import User
from tests.api.pages.conftest import Client, csrf_token
from tests.factories import lab_start

__all__ = ["Login", "book", "confirmed", "post_form", "received", "starts"]

Login = Callable[[User], dict[str, str]]


def starts(days: int = 3, hour: int = 10) -> datetime:
    """A working day at least ``days`` days from now, at ``hour`` in Seoul."""
    return lab_start(datetime.now(UTC) + timedelta(days=days), at=time(hour, 0))


def book(client: Client, login: Login, customer: User, start: datetime, *, samples: int = 1) -> dict[str, Any]:
    """A booking of DIODE-IV at ``start`` (quoted), with ``samples`` samples."""
    request = {
        "method": "DIODE-IV",
        "samples": [{"label": f"D-{n}", "description": "1N4148 diode"} for n in range(1, samples + 1)],
        "start": start.isoformat(),
    }
    response = client.post("/api/bookings", json=request, headers=login(customer))
    assert response.status_code == 201, response.text
    return dict(response.json())


def confirmed(client: Client, login: Login, customer: User, start: datetime, *, samples: int = 1) -> dict[str, Any]:
    """A booking of DIODE-IV at ``start``, confirmed by ``customer``."""
    booking = book(client, login, customer, start, samples=samples)
    response = client.post(f"/api/bookings/{booking['id']}/confirm", headers=login(customer))
    assert response.status_code == 200, response.text
    return dict(response.json())


def received(
    client: Client, login: Login, customer: User, engineer: User, start: datetime, *, samples: int = 1
) -> dict[str, Any]:
    """A booking of DIODE-IV at ``start``, confirmed, its samples received by ``engineer`` through the API."""
    booking = confirmed(client, login, customer, start, samples=samples)
    receipt = {"samples": [{"sample_id": s["id"], "condition": "intact, sealed bag"} for s in booking["samples"]]}
    response = client.post(f"/api/bookings/{booking['id']}/receive", json=receipt, headers=login(engineer))
    assert response.status_code == 200, response.text
    return dict(response.json())


def post_form(client: Client, page: str, data: dict[str, str], *, action: str | None = None) -> httpx.Response:
    """Open ``page`` as a browser does, then post its form (to ``action``, or back to the page) with its token."""
    token = csrf_token(client.get(page).text)
    return client.post(action or page, data={**data, "_csrf_token": token}, follow_redirects=False)

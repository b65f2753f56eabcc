"""Availability over HTTP: free slots for a method, for any signed-in user, on the grid and in opening hours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from labsys.companies.models import User
from tests.api.conftest import Client
from tests.factories import Lab, lab_start

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]
SEOUL = ZoneInfo("Asia/Seoul")


def _day() -> datetime:
    return lab_start(datetime.now(UTC) + timedelta(days=3), at=time(0, 0))


def test_slots_lie_on_the_half_hour_grid_within_opening_hours_on_open_days(
    client: Client, lab: Lab, login: Login
) -> None:
    response = client.get("/api/availability", params={"method": "DIODE-IV"}, headers=login(lab.customer))
    assert response.status_code == 200, response.text
    slots = response.json()
    assert slots
    for slot in slots:
        start = datetime.fromisoformat(slot["start"]).astimezone(SEOUL)
        end = datetime.fromisoformat(slot["end"]).astimezone(SEOUL)
        assert start.minute in (0, 30)
        assert time(9) <= start.time()
        assert end.time() <= time(18)
        assert end.date() == start.date()
        assert start.weekday() < 5
        assert slot["instruments"] == ["SMU-01"]
    assert datetime.fromisoformat(slots[0]["start"]) >= datetime.now(UTC) + timedelta(hours=24)


def test_a_method_needing_two_kinds_is_offered_with_one_instrument_of_each(
    client: Client, lab: Lab, login: Login
) -> None:
    day = _day()
    params = {"method": "RES-4W-TCR", "start": day.isoformat(), "end": (day + timedelta(days=1)).isoformat()}
    slots = client.get("/api/availability", params=params, headers=login(lab.customer)).json()
    assert slots[0]["instruments"] == ["DMM-01", "TEMP-01"]
    assert len(slots) == 16  # 09:00 to 16:30: a 90-minute test must end by 18:00


def test_a_booked_slot_disappears_from_availability(client: Client, lab: Lab, login: Login) -> None:
    day, customer = _day(), login(lab.customer)
    params = {"method": "DIODE-IV", "start": day.isoformat(), "end": (day + timedelta(days=1)).isoformat()}
    first = client.get("/api/availability", params=params, headers=customer).json()[0]
    body = {"method": "DIODE-IV", "samples": [{"label": "D-1"}], "start": first["start"]}
    assert client.post("/api/bookings", json=body, headers=customer).status_code == 201
    after = client.get("/api/availability", params=params, headers=login(lab.other_customer)).json()
    assert first["start"] not in {s["start"] for s in after}


def test_availability_needs_a_sign_in_a_known_method_and_a_sensible_window(
    client: Client, lab: Lab, login: Login
) -> None:
    assert client.get("/api/availability", params={"method": "DIODE-IV"}).status_code == 401
    headers = login(lab.engineer)
    assert client.get("/api/availability", params={"method": "NOPE"}, headers=headers).status_code == 404
    day = _day()
    backwards = {"method": "DIODE-IV", "start": day.isoformat(), "end": (day - timedelta(days=1)).isoformat()}
    assert client.get("/api/availability", params=backwards, headers=headers).status_code == 422
    too_long = {"method": "DIODE-IV", "start": day.isoformat(), "end": (day + timedelta(days=60)).isoformat()}
    assert client.get("/api/availability", params=too_long, headers=headers).status_code == 422

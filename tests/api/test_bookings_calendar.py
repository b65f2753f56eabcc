"""The iCalendar feed holds exactly the caller's bookings: a customer's own company's, all of them for staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import icalendar
import pytest

from labsys.companies.models import User
from tests.api.conftest import Client
from tests.factories import Lab, lab_start

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


def _book(client: Client, headers: dict[str, str], hour: int) -> dict[str, object]:
    start = lab_start(datetime.now(UTC) + timedelta(days=3), at=time(hour))
    body = {"method": "DIODE-IV", "samples": [{"label": "D-1"}], "start": start.isoformat()}
    response = client.post("/api/bookings", json=body, headers=headers)
    assert response.status_code == 201, response.text
    booking: dict[str, object] = response.json()
    return booking


def _events(client: Client, headers: dict[str, str]) -> dict[str, icalendar.Event]:
    response = client.get("/api/bookings/calendar.ics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_a_customers_feed_holds_exactly_their_companys_bookings(client: Client, lab: Lab, login: Login) -> None:
    customer, other = login(lab.customer), login(lab.other_customer)
    mine = [_book(client, customer, 9), _book(client, customer, 13)]
    theirs = _book(client, other, 11)
    events = _events(client, customer)
    assert {uid.split("@")[0] for uid in events} == {f"booking-{b['id']}" for b in mine}
    event = next(e for uid, e in events.items() if uid.startswith(f"booking-{mine[0]['id']}@"))
    assert event.decoded("dtstart") == datetime.fromisoformat(str(mine[0]["starts_at"]))
    assert event.decoded("dtend") == datetime.fromisoformat(str(mine[0]["ends_at"]))
    assert "SMU-01" in str(event["location"])
    assert f"booking-{theirs['id']}" not in " ".join(events)


def test_staff_see_every_companys_bookings_and_a_cancelled_one_is_marked_cancelled(
    client: Client, lab: Lab, login: Login
) -> None:
    customer = login(lab.customer)
    kept, cancelled = _book(client, customer, 9), _book(client, login(lab.other_customer), 13)
    client.post(f"/api/bookings/{cancelled['id']}/cancel", headers=login(lab.admin))
    events = _events(client, login(lab.engineer))
    by_id = {uid.split("@")[0]: event for uid, event in events.items()}
    assert set(by_id) == {f"booking-{kept['id']}", f"booking-{cancelled['id']}"}
    assert str(by_id[f"booking-{cancelled['id']}"]["status"]) == "CANCELLED"
    assert str(by_id[f"booking-{kept['id']}"]["status"]) == "TENTATIVE"


def test_the_feed_needs_a_sign_in(client: Client, lab: Lab) -> None:
    assert client.get("/api/bookings/calendar.ics").status_code == 401

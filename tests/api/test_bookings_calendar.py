"""The iCalendar feed holds exactly the caller's bookings: a customer's own company's, all of them for staff; a
calendar application subscribes to the user's secret address, which a new one replaces and which can be revoked."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import icalendar
import pytest
from sqlmodel import Session, select

from labsys.bookings.models import CalendarFeed
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


def test_the_feed_says_its_charset_once(client: Client, lab: Lab, login: Login) -> None:
    response = client.get("/api/bookings/calendar.ics", headers=login(lab.customer))
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"


def _new_address(client: Client, headers: dict[str, str]) -> str:
    response = client.post("/api/users/me/calendar-address", headers=headers)
    assert response.status_code == 201, response.text
    url: str = response.json()["url"]
    assert url.startswith("http") and url.endswith(".ics")  # noqa: PT018 - one address, two ends
    return url.split("://", 1)[1].split("/", 1)[1]  # the path: the test client has its own host


def test_a_secret_address_serves_the_users_own_bookings_without_any_header(
    client: Client, lab: Lab, login: Login
) -> None:
    customer = login(lab.customer)
    mine = _book(client, customer, 9)
    theirs = _book(client, login(lab.other_customer), 11)
    path = _new_address(client, customer)

    response = client.get(f"/{path}")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    uids = [str(e["uid"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert [uid.split("@")[0] for uid in uids] == [f"booking-{mine['id']}"]
    assert f"booking-{theirs['id']}@" not in response.text


def test_a_new_address_replaces_the_old_which_answers_404(client: Client, lab: Lab, login: Login) -> None:
    customer = login(lab.customer)
    old = _new_address(client, customer)
    new = _new_address(client, customer)

    assert old != new
    assert client.get(f"/{old}").status_code == 404
    assert client.get(f"/{new}").status_code == 200


def test_a_revoked_address_answers_404(client: Client, lab: Lab, login: Login) -> None:
    customer = login(lab.customer)
    path = _new_address(client, customer)

    assert client.delete("/api/users/me/calendar-address", headers=customer).status_code == 204

    assert client.get(f"/{path}").status_code == 404


def test_another_users_address_shows_their_bookings_never_mine_and_guesses_are_404(
    client: Client, lab: Lab, login: Login
) -> None:
    mine = _book(client, login(lab.customer), 9)
    other = _new_address(client, login(lab.other_customer))
    assert f"booking-{mine['id']}@" not in client.get(f"/{other}").text
    assert client.get("/calendar/not-a-secret.ics").status_code == 404
    assert client.get(f"/{other.removesuffix('.ics')}").status_code == 404  # without its suffix


def test_a_deactivated_users_address_stops_working(client: Client, lab: Lab, login: Login, session: Session) -> None:
    path = _new_address(client, login(lab.customer))
    lab.customer.active = False
    session.add(lab.customer)
    session.commit()
    assert client.get(f"/{path}").status_code == 404


def test_the_lab_keeps_only_a_hash_of_the_secret(client: Client, lab: Lab, login: Login, session: Session) -> None:
    path = _new_address(client, login(lab.customer))
    secret = path.removeprefix("calendar/").removesuffix(".ics")
    stored = session.exec(select(CalendarFeed)).one()
    assert stored.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert len(secret) >= 40

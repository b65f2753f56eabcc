"""Engineers' shifts and leave over HTTP: an admin sets them, bookings follow them, and every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from labsys.audit.models import AuditEvent
from labsys.companies.models import User
from tests.api.conftest import Client
from tests.factories import Lab, lab_start

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]

SEOUL = ZoneInfo("Asia/Seoul")


def _start(hour: int = 10) -> datetime:
    return lab_start(datetime.now(UTC) + timedelta(days=3), at=time(hour, 0))


def _booking(start: datetime) -> dict[str, object]:
    return {
        "method": "DIODE-IV",
        "samples": [{"label": "D-1", "description": "1N4148 diode", "quantity": 1}],
        "start": start.isoformat(),
    }


def _afternoons(weekday: int) -> dict[str, object]:
    return {"shifts": [{"weekday": weekday, "starts_at": "13:00", "ends_at": "18:00"}]}


def test_an_engineer_on_afternoon_shifts_takes_no_morning_booking(client: Client, lab: Lab, login: Login) -> None:
    admin = login(lab.admin)
    weekday = _start().astimezone(SEOUL).weekday()
    url = f"/api/users/{lab.engineer.id}/shifts"
    saved = client.put(url, json=_afternoons(weekday), headers=admin)
    assert saved.status_code == 200, saved.text
    assert saved.json()["data"] == [{"weekday": weekday, "starts_at": "13:00:00", "ends_at": "18:00:00"}]
    assert client.get(url, headers=admin).json()["count"] == 1
    customer = login(lab.customer)
    refused = client.post("/api/bookings", json=_booking(_start(10)), headers=customer)
    assert refused.status_code == 409
    assert refused.json()["extra"]["rule"] == "engineer_on_shift"
    assert "no engineer qualified for smu is on duty" in refused.json()["detail"]
    assert client.post("/api/bookings", json=_booking(_start(14)), headers=customer).status_code == 201


def test_leave_refuses_bookings_on_its_days_until_it_is_removed(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    admin = login(lab.admin)
    day = _start().astimezone(SEOUL).date().isoformat()
    url = f"/api/users/{lab.engineer.id}/leave"
    added = client.post(url, json={"first_day": day, "last_day": day, "reason": "annual leave"}, headers=admin)
    assert added.status_code == 201, added.text
    customer = login(lab.customer)
    refused = client.post("/api/bookings", json=_booking(_start(10)), headers=customer)
    assert refused.json()["extra"]["rule"] == "engineer_on_shift"
    assert client.get(url, headers=admin).json()["count"] == 1
    assert client.delete(f"{url}/{added.json()['id']}", headers=admin).status_code == 204
    assert client.post("/api/bookings", json=_booking(_start(10)), headers=customer).status_code == 201
    actions = set(session.exec(select(AuditEvent.action).where(AuditEvent.entity_type == "user")).all())
    assert {"user.leave_added", "user.leave_removed"} <= actions


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"shifts": [{"weekday": 1, "starts_at": "18:00", "ends_at": "09:00"}]}, "must come after its starts_at"),
        (
            {
                "shifts": [
                    {"weekday": 1, "starts_at": "09:00", "ends_at": "13:00"},
                    {"weekday": 1, "starts_at": "12:00", "ends_at": "18:00"},
                ]
            },
            "overlap",
        ),
        ({"shifts": [{"weekday": 7, "starts_at": "09:00", "ends_at": "13:00"}]}, "weekday"),
    ],
    ids=["ends before it starts", "overlapping shifts", "no eighth weekday"],
)
def test_shifts_that_make_no_sense_are_refused_with_what_is_wrong(
    client: Client, lab: Lab, login: Login, body: dict[str, object], words: str
) -> None:
    response = client.put(f"/api/users/{lab.engineer.id}/shifts", json=body, headers=login(lab.admin))
    assert response.status_code == 422
    assert words in response.text


def test_leave_ending_before_it_begins_is_refused(client: Client, lab: Lab, login: Login) -> None:
    body = {"first_day": "2026-12-10", "last_day": "2026-12-09", "reason": "annual leave"}
    response = client.post(f"/api/users/{lab.engineer.id}/leave", json=body, headers=login(lab.admin))
    assert response.status_code == 422
    assert "last_day must be first_day or later" in response.text


def test_shifts_of_an_unknown_user_answer_404_and_of_a_customer_422(client: Client, lab: Lab, login: Login) -> None:
    admin = login(lab.admin)
    assert client.put("/api/users/99999/shifts", json=_afternoons(1), headers=admin).status_code == 404
    customer = client.put(f"/api/users/{lab.customer.id}/shifts", json=_afternoons(1), headers=admin)
    assert customer.status_code == 422
    assert "only engineers have shifts and leave" in customer.json()["detail"]


def test_only_an_admin_sets_shifts_and_leave(client: Client, lab: Lab, login: Login) -> None:
    for user in (lab.customer, lab.engineer):
        headers = login(user)
        assert (
            client.put(f"/api/users/{lab.engineer.id}/shifts", json=_afternoons(1), headers=headers).status_code == 403
        )
        assert client.get(f"/api/users/{lab.engineer.id}/leave", headers=headers).status_code == 403


def test_a_shift_change_is_audited_with_the_pattern_before_and_after(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    client.put(f"/api/users/{lab.engineer.id}/shifts", json=_afternoons(1), headers=login(lab.admin))
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.shifts_changed")).one()
    assert event.entity_id == str(lab.engineer.id)
    assert event.before is not None
    assert event.after is not None
    assert (event.before["count"], event.after["count"]) == (0, 1)

"""Bookings over HTTP: a customer books, sees the quote, confirms, reschedules and cancels; the lab receives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from labsys.companies.models import User
from tests.api.conftest import Client
from tests.factories import Lab, lab_start

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


def _start(days: int = 3, hour: int = 10) -> datetime:
    """A weekday (not a holiday) at least ``days`` days from now, at ``hour`` in Seoul."""
    return lab_start(datetime.now(UTC) + timedelta(days=days), at=time(hour, 0))


def _request(start: datetime | str, **fields: object) -> dict[str, object]:
    return {
        "method": "DIODE-IV",
        "samples": [{"label": "D-1", "description": "1N4148 diode", "quantity": 2}],
        "start": start if isinstance(start, str) else start.isoformat(),
        **fields,
    }


def test_a_customer_books_and_is_answered_201_with_the_quote_and_the_instrument_held(
    client: Client, lab: Lab, login: Login
) -> None:
    start = _start()
    response = client.post("/api/bookings", json=_request(start, urgency="urgent"), headers=login(lab.customer))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "quoted"
    assert body["quote"] == {
        "unit_fee_krw": 180_000,
        "quantity": 2,
        "urgency": "urgent",
        "urgency_factor": 1.5,
        "fee_krw": 540_000,
    }
    assert body["fee_krw"] == 540_000
    assert datetime.fromisoformat(body["starts_at"]) == start
    assert [(r["instrument"], r["kind"]) for r in body["reservations"]] == [("SMU-01", "smu")]
    assert body["samples"][0]["label"] == "D-1"
    assert body["applicant"]["name"] == lab.company.name
    assert body["report_due"] is not None


def test_the_booking_answered_at_creation_is_the_booking_read_back_field_for_field(
    client: Client, lab: Lab, login: Login
) -> None:
    headers = login(lab.customer)
    created = client.post("/api/bookings", json=_request(_start(), note="준비 완료: 샘플 2개"), headers=headers)
    assert created.status_code == 201, created.text
    assert created.headers["content-type"] == "application/json"
    read_back = client.get(f"/api/bookings/{created.json()['id']}", headers=headers)
    assert read_back.status_code == 200
    assert created.json() == read_back.json()
    assert created.json()["note"] == "준비 완료: 샘플 2개"


def test_earliest_takes_the_first_slot_that_availability_offers(client: Client, lab: Lab, login: Login) -> None:
    headers = login(lab.customer)
    slots = client.get("/api/availability", params={"method": "DIODE-IV"}, headers=headers).json()
    response = client.post("/api/bookings", json=_request("earliest"), headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["starts_at"] == slots[0]["start"]


def test_the_customer_confirms_the_quote_and_the_engineer_receives_the_samples(
    client: Client, lab: Lab, login: Login
) -> None:
    customer = login(lab.customer)
    booking = client.post("/api/bookings", json=_request(_start()), headers=customer).json()
    confirmed = client.post(f"/api/bookings/{booking['id']}/confirm", headers=customer)
    assert confirmed.json()["status"] == "confirmed"
    receipt = {"samples": [{"sample_id": booking["samples"][0]["id"], "condition": "intact, sealed bag"}]}
    assert client.post(f"/api/bookings/{booking['id']}/receive", json=receipt, headers=customer).status_code == 403
    received = client.post(f"/api/bookings/{booking['id']}/receive", json=receipt, headers=login(lab.engineer))
    assert received.status_code == 200, received.text
    assert received.json()["status"] == "sample_received"
    assert received.json()["samples"][0]["condition_on_receipt"] == "intact, sealed bag"


def test_a_wrong_step_is_409_naming_the_current_status_and_what_is_allowed(
    client: Client, lab: Lab, login: Login
) -> None:
    customer = login(lab.customer)
    booking = client.post("/api/bookings", json=_request(_start()), headers=customer).json()
    client.post(f"/api/bookings/{booking['id']}/cancel", headers=customer)
    response = client.post(f"/api/bookings/{booking['id']}/confirm", headers=customer)
    assert response.status_code == 409
    assert "cancelled" in response.json()["detail"]
    assert response.json()["extra"] == {"status": "cancelled", "allowed": []}


def test_a_cancelled_slot_is_bookable_at_once_by_another_company(client: Client, lab: Lab, login: Login) -> None:
    start = _start()
    customer, other = login(lab.customer), login(lab.other_customer)
    booking = client.post("/api/bookings", json=_request(start), headers=customer).json()
    assert client.post("/api/bookings", json=_request(start), headers=other).status_code == 409
    cancelled = client.post(f"/api/bookings/{booking['id']}/cancel", headers=customer)
    assert cancelled.json()["status"] == "cancelled"
    assert [r["active"] for r in cancelled.json()["reservations"]] == [False]
    assert client.post("/api/bookings", json=_request(start), headers=other).status_code == 201


def test_a_reschedule_moves_the_booking_and_frees_the_old_slot(client: Client, lab: Lab, login: Login) -> None:
    old, new = _start(3), _start(4, 14)
    customer = login(lab.customer)
    booking = client.post("/api/bookings", json=_request(old), headers=customer).json()
    moved = client.post(f"/api/bookings/{booking['id']}/reschedule", json={"start": new.isoformat()}, headers=customer)
    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["starts_at"]) == new
    assert client.post("/api/bookings", json=_request(old), headers=login(lab.other_customer)).status_code == 201


def test_staff_may_reject_with_a_reason_and_a_customer_may_not(client: Client, lab: Lab, login: Login) -> None:
    customer = login(lab.customer)
    booking = client.post("/api/bookings", json=_request(_start()), headers=customer).json()
    path = f"/api/bookings/{booking['id']}/reject"
    assert client.post(path, json={"reason": "sample type not accredited"}, headers=customer).status_code == 403
    rejected = client.post(path, json={"reason": "sample type not accredited"}, headers=login(lab.admin))
    assert rejected.json()["status"] == "rejected"


def test_a_customer_sees_only_their_own_companys_bookings(client: Client, lab: Lab, login: Login) -> None:
    customer, other = login(lab.customer), login(lab.other_customer)
    mine = client.post("/api/bookings", json=_request(_start(3)), headers=customer).json()
    theirs = client.post("/api/bookings", json=_request(_start(3, 14)), headers=other).json()
    listed = client.get("/api/bookings", headers=customer).json()
    assert [b["id"] for b in listed["data"]] == [mine["id"]]
    assert listed["count"] == 1
    assert client.get(f"/api/bookings/{theirs['id']}", headers=customer).status_code == 404
    assert client.post(f"/api/bookings/{theirs['id']}/cancel", headers=customer).status_code == 404
    assert client.get(f"/api/bookings/{mine['id']}", headers=customer).json()["id"] == mine["id"]
    staff = client.get("/api/bookings", headers=login(lab.engineer)).json()
    assert {b["id"] for b in staff["data"]} == {mine["id"], theirs["id"]}


def test_staff_cannot_book_and_a_bad_request_is_422(client: Client, lab: Lab, login: Login) -> None:
    assert client.post("/api/bookings", json=_request(_start()), headers=login(lab.engineer)).status_code == 403
    customer = login(lab.customer)
    naive = client.post("/api/bookings", json=_request("2026-12-02T10:00:00"), headers=customer)
    assert naive.status_code == 422
    no_samples = client.post("/api/bookings", json={**_request(_start()), "samples": []}, headers=customer)
    assert no_samples.status_code == 422
    unknown = client.post("/api/bookings", json={**_request(_start()), "method": "NOPE"}, headers=customer)
    assert unknown.status_code == 404

"""Instruments' downtime over HTTP: staff block an instrument, see the bookings it displaces, and no new booking
or reschedule takes the instrument during the block."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from labsys.audit.models import AuditEvent
from labsys.companies.models import User
from tests.api.conftest import Client
from tests.factories import Lab, lab_start

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]

URL = "/api/instruments/SMU-01/downtime"


def _start(hour: int = 10) -> datetime:
    return lab_start(datetime.now(UTC) + timedelta(days=3), at=time(hour, 0))


def _block(starts_at: datetime, hours: int = 3, **fields: object) -> dict[str, object]:
    return {
        "kind": "repair",
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=hours)).isoformat(),
        "reason": "replace the output relay",
        **fields,
    }


def _book(client: Client, customer: dict[str, str], start: datetime) -> dict[str, object]:
    request = {
        "method": "DIODE-IV",
        "samples": [{"label": "D-1", "description": "1N4148 diode", "quantity": 1}],
        "start": start.isoformat(),
    }
    response = client.post("/api/bookings", json=request, headers=customer)
    assert response.status_code == 201, response.text
    booked: dict[str, object] = response.json()
    return booked


def test_a_block_over_booked_work_answers_with_the_bookings_it_displaces_which_keep_their_slot(
    client: Client, lab: Lab, login: Login
) -> None:
    booking = _book(client, login(lab.customer), _start(10))
    staff = login(lab.engineer)
    response = client.post(URL, json=_block(_start(9)), headers=staff)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["downtime"]["instrument"] == "SMU-01"
    displaced = [(d["booking_id"], d["company"], datetime.fromisoformat(d["starts_at"])) for d in answer["displaced"]]
    assert displaced == [(booking["id"], lab.company.name, _start(10))]
    kept = client.get(f"/api/bookings/{booking['id']}", headers=login(lab.customer)).json()
    assert datetime.fromisoformat(kept["starts_at"]) == _start(10)
    listed = client.get(URL, headers=staff).json()
    assert [b["reason"] for b in listed["data"]] == ["replace the output relay"]


def test_no_booking_nor_reschedule_takes_an_instrument_in_downtime(client: Client, lab: Lab, login: Login) -> None:
    customer = login(lab.customer)
    booking = _book(client, customer, _start(15))
    assert client.post(URL, json=_block(_start(9)), headers=login(lab.engineer)).status_code == 201
    request = {"method": "DIODE-IV", "samples": [{"label": "D", "description": "d", "quantity": 1}]}
    refused = client.post("/api/bookings", json={**request, "start": _start(10).isoformat()}, headers=customer)
    assert refused.status_code == 409
    assert refused.json()["extra"]["rule"] == "downtime"
    assert "maintenance or repair" in refused.json()["detail"]
    moved = client.post(
        f"/api/bookings/{booking['id']}/reschedule", json={"start": _start(11).isoformat()}, headers=customer
    )
    assert (moved.status_code, moved.json()["extra"]["rule"]) == (409, "downtime")
    free = client.get(
        "/api/availability",
        params={"method": "DIODE-IV", "start": _start(9).isoformat(), "end": _start(12).isoformat()},
        headers=customer,
    )
    assert free.json() == []


def test_removing_a_block_frees_the_instrument_and_both_changes_are_audited(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    staff = login(lab.engineer)
    added = client.post(URL, json=_block(_start(9)), headers=staff).json()
    removed = client.delete(f"{URL}/{added['downtime']['id']}", headers=staff)
    assert removed.status_code == 204
    assert client.get(URL, headers=staff).json()["count"] == 0
    _book(client, login(lab.customer), _start(10))
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity_type == "instrument")).all()
    assert {"instrument.downtime_added", "instrument.downtime_removed"} <= set(actions)


def test_a_block_that_ends_before_it_starts_is_refused_with_what_is_wrong(
    client: Client, lab: Lab, login: Login
) -> None:
    response = client.post(URL, json=_block(_start(9), hours=-1), headers=login(lab.engineer))
    assert response.status_code == 422
    assert "ends_at must come after starts_at" in response.text


def test_an_unknown_instrument_or_block_answers_404(client: Client, lab: Lab, login: Login) -> None:
    staff = login(lab.engineer)
    unknown = client.post("/api/instruments/NOPE-99/downtime", json=_block(_start(9)), headers=staff)
    assert unknown.status_code == 404
    assert "NOPE-99" in unknown.json()["detail"]
    assert client.delete(f"{URL}/12345", headers=staff).status_code == 404


def test_customers_may_neither_see_nor_set_downtime(client: Client, lab: Lab, login: Login) -> None:
    customer = login(lab.customer)
    assert client.get(URL, headers=customer).status_code == 403
    assert client.post(URL, json=_block(_start(9)), headers=customer).status_code == 403

"""After the report, the engineer records what became of every sample (returned or disposed of): the booking closes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from labsys.companies.models import User
from labsys.settings import Settings
from tests.api.conftest import Client
from tests.labsys.certificates.factories import issue, make_reviewed_booking
from tests.labsys.runs.conftest import make_ready_booking

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


def test_the_engineer_records_each_samples_return_and_the_reported_booking_closes(
    client: Client, session: Session, settings: Settings, login: Login
) -> None:
    reviewed = make_reviewed_booking(session, settings)
    issue(session, settings, reviewed)
    booking, sample, engineer = reviewed.ready.booking, reviewed.ready.sample, reviewed.ready.engineer
    path = f"/api/bookings/{booking.id}/close"
    returned = {"samples": [{"sample_id": sample.id, "disposition": "returned", "note": "택배 송장 1234-5678"}]}
    assert client.post(path, json=returned, headers=login(reviewed.ready.customer)).status_code == 403
    unknown = client.post(
        path, json={"samples": [{"sample_id": 99_999, "disposition": "disposed"}]}, headers=login(engineer)
    )
    assert unknown.status_code == 422
    assert f"missing [{sample.id}]" in unknown.json()["detail"]
    closed = client.post(path, json=returned, headers=login(engineer))
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    [shown] = closed.json()["samples"]
    assert (shown["disposition"], shown["disposition_note"]) == ("returned", "택배 송장 1234-5678")
    assert shown["disposition_at"] is not None
    again = client.post(path, json=returned, headers=login(engineer))
    assert again.status_code == 409
    assert "nothing (it is final)" in again.json()["detail"]


def test_a_booking_is_not_closed_before_its_report(client: Client, session: Session, login: Login) -> None:
    ready = make_ready_booking(session)
    body = {"samples": [{"sample_id": ready.sample.id, "disposition": "disposed"}]}
    refused = client.post(f"/api/bookings/{ready.booking.id}/close", json=body, headers=login(ready.engineer))
    assert refused.status_code == 409
    assert refused.json()["extra"]["status"] == "sample_received"

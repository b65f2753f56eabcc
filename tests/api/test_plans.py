"""The planner over HTTP: an admin proposes the week's plan and applies it; bad weeks are 422; others are 403."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from labsys.companies.models import User
from tests.api.conftest import Client
from tests.factories import Lab
from tests.labsys.planning.lab import waiting_booking

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


def _next_week() -> str:
    year, week, _ = (datetime.now(UTC) + timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def test_an_admin_plans_the_week_and_applies_it_and_the_waiting_booking_gets_its_slot(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    waiting = waiting_booking(
        session, method=lab.methods["DIODE-IV"], customer=lab.customer, received_at=datetime.now(UTC)
    )
    admin = login(lab.admin)
    proposed = client.post("/api/plans", json={"week": _next_week(), "time_limit_s": 2}, headers=admin)
    assert proposed.status_code == 201, proposed.text
    plan = proposed.json()
    change = next(c for c in plan["changes"] if c["booking_id"] == waiting.id)
    assert change["action"] == "assigned"
    assert change["instruments"] == ["SMU-01"]
    assert change["company"] == lab.company.name
    assert change["method"] == "DIODE-IV"
    assert plan["figures"]["solver_status"] in {"OPTIMAL", "FEASIBLE"}
    assert plan["applied_at"] is None

    applied = client.post(f"/api/plans/{plan['id']}/apply", headers=admin)
    assert applied.status_code == 200, applied.text
    assert applied.json()["applied_at"] is not None
    booking = client.get(f"/api/bookings/{waiting.id}", headers=login(lab.customer)).json()
    assert datetime.fromisoformat(booking["starts_at"]) == datetime.fromisoformat(change["new_start"])
    again = client.post(f"/api/plans/{plan['id']}/apply", headers=admin)
    assert again.status_code == 409
    assert "was applied" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"week": "2026-W60"}, "week"),
        ({"week": "next week"}, "week"),
        ({}, "week"),
        ({"week": "2026-W49", "time_limit_s": 0}, "time_limit_s"),
        ({"week": "2026-W49", "time_limit_s": 600}, "time_limit_s"),
    ],
)
def test_a_bad_week_or_time_limit_is_422_saying_what_is_wrong(
    client: Client, lab: Lab, login: Login, body: dict[str, object], field: str
) -> None:
    response = client.post("/api/plans", json=body, headers=login(lab.admin))
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert field in response.text


def test_customers_and_engineers_may_not_plan(client: Client, lab: Lab, login: Login) -> None:
    for user in (lab.customer, lab.engineer):
        response = client.post("/api/plans", json={"week": _next_week()}, headers=login(user))
        assert response.status_code == 403
        assert "admin" in response.json()["detail"]
    assert client.post("/api/plans/1/apply", headers=login(lab.engineer)).status_code == 403


def test_an_unknown_plan_is_404(client: Client, lab: Lab, login: Login) -> None:
    response = client.post("/api/plans/999/apply", headers=login(lab.admin))
    assert response.status_code == 404
    assert "no plan 999" in response.json()["detail"]

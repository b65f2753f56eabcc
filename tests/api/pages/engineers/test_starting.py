"""Starting a run through the page: the method's parameters with their defaults, units and limits, checked by
the same service as the API."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from labsys.audit import AuditEvent
from labsys.companies.models import Role, User
from tests.api.pages.conftest import Client
from tests.api.pages.engineers.booked import Login, confirmed, post_form, received, starts
from tests.factories import Lab, make_user

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]

#: The override these bookings need: their slots lie days ahead.
EARLY = {"early": "on", "early_reason": "the customer asked for the result this week"}


def _input(html: str, name: str) -> str:
    found = re.search(rf'<input id="parameter-{name}"[^>]*>', html, re.S)
    assert found, f"no field for {name}"
    return found.group(0)


def _runs(client: Client, login: Login, engineer: User) -> list[dict[str, object]]:
    return list(client.get("/api/runs", headers=login(engineer)).json())


def test_the_form_shows_each_parameter_at_its_default_with_its_unit_and_limits(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    sign_in_page(lab.engineer)

    response = client.get(f"/bookings/{booking['id']}/runs/new")

    assert response.status_code == 200
    compliance = _input(response.text, "compliance_current")
    assert 'value="0.1"' in compliance
    assert 'min="1e-06"' in compliance
    assert 'max="1"' in compliance
    assert 'step="any"' in compliance
    assert 'step="1"' in _input(response.text, "points")  # a count of points
    assert "제한 전류 (A)" in response.text
    assert "SMU-01" in response.text  # the instrument the booking holds


def test_starting_with_the_defaults_queues_the_run_and_opens_its_page(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    sign_in_page(lab.engineer)
    page = f"/bookings/{booking['id']}/runs/new"

    response = post_form(client, page, {"sample": str(booking["samples"][0]["id"]), **EARLY})

    assert response.status_code == 303, response.text
    runs = _runs(client, login, lab.engineer)
    assert len(runs) == 1
    assert response.headers["location"] == f"/runs/{runs[0]['id']}"
    assert runs[0]["status"] == "queued"
    assert runs[0]["parameters"]["compliance_current"] == {"value": 0.1, "unit": "A"}  # type: ignore[index]
    assert runs[0]["parameters"]["stop_voltage"] == {"value": 0.85, "unit": "V"}  # type: ignore[index]


def test_a_value_the_engineer_types_is_the_runs(client: Client, lab: Lab, login: Login, sign_in_page: SignIn) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    sign_in_page(lab.engineer)
    page = f"/bookings/{booking['id']}/runs/new"

    response = post_form(
        client,
        page,
        {"sample": str(booking["samples"][0]["id"]), "parameter-stop_voltage": "0.9", "parameter-points": "", **EARLY},
    )

    assert response.status_code == 303
    run = _runs(client, login, lab.engineer)[0]
    assert run["parameters"]["stop_voltage"] == {"value": 0.9, "unit": "V"}  # type: ignore[index]
    assert run["parameters"]["points"] == {"value": 56.0, "unit": ""}  # type: ignore[index]


def test_a_parameter_out_of_range_is_refused_next_to_its_field_with_the_limits_and_nothing_is_queued(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    sign_in_page(lab.engineer)
    page = f"/bookings/{booking['id']}/runs/new"

    response = post_form(
        client, page, {"sample": str(booking["samples"][0]["id"]), "parameter-compliance_current": "3", **EARLY}
    )

    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="parameter-compliance_current-error">([^<]+)</p>', response.text)
    assert error, "no error next to the compliance current"
    assert "1e-06" in error.group(1)
    assert " 1 A" in error.group(1)
    assert 'aria-invalid="true"' in _input(response.text, "compliance_current")
    assert 'value="3"' in _input(response.text, "compliance_current")  # what was typed is kept
    assert _runs(client, login, lab.engineer) == []


def test_text_that_is_no_number_is_refused_next_to_its_field(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    sign_in_page(lab.engineer)
    page = f"/bookings/{booking['id']}/runs/new"

    response = post_form(client, page, {"sample": str(booking["samples"][0]["id"]), "parameter-nplc": "one"})

    assert response.status_code == 422
    assert 'id="parameter-nplc-error"' in response.text
    assert _runs(client, login, lab.engineer) == []


def test_a_booking_whose_samples_have_not_arrived_says_so_and_offers_receiving_them(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = confirmed(client, login, lab.customer, starts())
    sign_in_page(lab.engineer)

    response = client.get(f"/bookings/{booking['id']}/runs/new")

    assert response.status_code == 200
    assert "<form" not in response.text.split('<main id="content">')[1]
    assert f'href="/bookings/{booking["id"]}/receive"' in response.text


def test_an_engineer_not_qualified_for_the_instrument_is_told_the_rule(
    client: Client, session: Session, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    novice = make_user(session, Role.ENGINEER, qualifications=["dmm"])
    sign_in_page(novice)
    page = f"/bookings/{booking['id']}/runs/new"

    response = post_form(client, page, {"sample": str(booking["samples"][0]["id"]), **EARLY})

    assert response.status_code == 409
    assert 'role="alert"' in response.text
    assert "smu" in response.text  # the service's detail names what is missing
    assert _runs(client, login, lab.engineer) == []


def test_a_run_before_the_slot_needs_the_override_and_its_reason_which_the_audit_trail_keeps(
    client: Client, session: Session, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    sign_in_page(lab.engineer)
    page = f"/bookings/{booking['id']}/runs/new"
    sample = {"sample": str(booking["samples"][0]["id"])}
    assert 'name="early"' in client.get(page).text  # the slot lies ahead: the form offers the override

    refused = post_form(client, page, sample)
    assert refused.status_code == 409
    assert 'role="alert"' in refused.text
    assert "early" in refused.text  # the detail names the slot and the override
    no_reason = post_form(client, page, {**sample, "early": "on", "early_reason": "  "})
    assert no_reason.status_code == 422
    assert 'id="early_reason-error"' in no_reason.text
    assert _runs(client, login, lab.engineer) == []

    assert post_form(client, page, {**sample, **EARLY}).status_code == 303
    (run,) = _runs(client, login, lab.engineer)
    queued = session.exec(select(AuditEvent).where(AuditEvent.action == "run.queued")).one()
    assert queued.entity_id == str(run["id"])
    assert queued.after is not None
    assert queued.after["early"] == {"reason": EARLY["early_reason"]}


def test_a_customer_may_not_start_a_run(client: Client, lab: Lab, login: Login, sign_in_page: SignIn) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    sign_in_page(lab.customer)

    response = client.get(f"/bookings/{booking['id']}/runs/new", headers={"Accept": "text/html"})

    assert response.status_code == 403

"""The lab manager's planner page: plan a week, read the proposal as a diff, apply it and see it applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from labsys.bookings.models import Booking, BookingStatus
from tests.api.pages.admin.conftest import error_next_to, post_form
from tests.api.pages.conftest import Client
from tests.factories import Lab
from tests.labsys.planning.lab import waiting_booking

pytestmark = pytest.mark.integration


def _next_week() -> str:
    year, week, _ = (datetime.now(UTC) + timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def test_the_admin_plans_a_week_reads_the_diff_and_applies_it(
    client: Client, admin_signed_in: Lab, session: Session
) -> None:
    lab = admin_signed_in
    waiting = waiting_booking(
        session, method=lab.methods["DIODE-IV"], customer=lab.customer, received_at=datetime.now(UTC)
    )
    home = client.get("/admin/plan")
    assert home.status_code == 200
    assert 'href="/admin/plan"' in home.text  # in the admin's navigation
    assert "<h1>플래너</h1>" in home.text

    made = post_form(client, "/admin/plan", "/admin/plan", {"week": _next_week(), "time_limit_s": "2"})
    assert made.status_code == 303, made.text
    proposal = client.get(made.headers["location"])
    assert proposal.status_code == 200
    row = proposal.text[proposal.text.index(f'<th scope="row">{waiting.id}</th>') :].split("</tr>", 1)[0]
    assert "배정" in row
    assert "SMU-01" in row
    assert "계획 적용" in proposal.text

    applied = post_form(client, made.headers["location"], f"{made.headers['location']}/apply", {})
    assert applied.status_code == 303, applied.text
    after = client.get(applied.headers["location"]).text
    assert "적용했습니다" in after
    assert "계획 적용</button>" not in after
    session.expire_all()
    booking = session.get(Booking, waiting.id)
    assert booking is not None
    assert booking.starts_at is not None


def test_a_plan_made_stale_is_refused_on_the_page_and_nothing_changes(
    client: Client, admin_signed_in: Lab, session: Session
) -> None:
    lab = admin_signed_in
    waiting = waiting_booking(
        session, method=lab.methods["DIODE-IV"], customer=lab.customer, received_at=datetime.now(UTC)
    )
    made = post_form(client, "/admin/plan", "/admin/plan", {"week": _next_week(), "time_limit_s": "2"})
    booking = session.get(Booking, waiting.id)
    assert booking is not None
    booking.status, booking.updated_at = BookingStatus.CANCELLED, datetime.now(UTC)
    session.add(booking)
    session.commit()

    refused = post_form(client, made.headers["location"], f"{made.headers['location']}/apply", {})

    assert refused.status_code == 409
    assert "계획을 적용하지 않았고 아무것도 바뀌지 않았습니다" in refused.text


def test_a_bad_week_is_said_next_to_the_form(client: Client, admin_signed_in: Lab) -> None:
    response = post_form(client, "/admin/plan", "/admin/plan", {"week": "2026-W60", "time_limit_s": "5"})
    assert response.status_code == 422
    assert "1~60초의 계산 시간 한도를 입력하십시오" in error_next_to(response.text, "week")

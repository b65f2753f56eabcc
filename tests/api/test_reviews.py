"""Review over HTTP: an engineer submits a booking's runs, a qualified reviewer sends them back with a reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from labsys.bookings.models import BookingStatus
from labsys.companies.models import User
from labsys.settings import Settings
from tests.api.conftest import Client
from tests.labsys.certificates.factories import complete_run, make_reviewed_booking, make_reviewer
from tests.labsys.runs.conftest import ReadyBooking, make_ready_booking

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


@pytest.fixture
def tested(session: Session, settings: Settings) -> ReadyBooking:
    ready = make_ready_booking(session)
    complete_run(session, settings, ready)
    return ready


def test_an_engineer_submits_completed_runs_and_a_reviewer_sends_them_back(
    client: Client, session: Session, tested: ReadyBooking, login: Login
) -> None:
    submitted = client.post("/api/reviews", json={"booking": tested.booking.id}, headers=login(tested.engineer))
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["status"] == "in_review"
    assert len(submitted.json()["runs"]) == 1
    reviewer = make_reviewer(session)
    reason = {"reason": "repeat the sweep: the compliance limit was hit"}
    back = client.post(f"/api/reviews/{tested.booking.id}/send-back", json=reason, headers=login(reviewer))
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "testing"
    assert back.json()["reason"] == reason["reason"]
    session.refresh(tested.booking)
    assert tested.booking.status == BookingStatus.TESTING


def test_a_booking_with_a_run_still_going_cannot_be_submitted(
    client: Client, session: Session, settings: Settings, login: Login
) -> None:
    ready = make_ready_booking(session)
    queued = client.post(
        "/api/runs", json={"booking": ready.booking.id, "sample": ready.sample.id}, headers=login(ready.engineer)
    )
    assert queued.status_code == 202
    response = client.post("/api/reviews", json={"booking": ready.booking.id}, headers=login(ready.engineer))
    assert response.status_code == 409
    assert "has not ended" in response.json()["detail"]


def test_only_a_qualified_reviewer_sends_back_and_only_an_engineer_submits(
    client: Client, session: Session, tested: ReadyBooking, login: Login
) -> None:
    assert (
        client.post("/api/reviews", json={"booking": tested.booking.id}, headers=login(tested.customer)).status_code
        == 403
    )
    assert client.post("/api/reviews", json={"booking": tested.booking.id}, headers=login(tested.engineer)).is_success
    unqualified = make_reviewer(session, code="LCR-CAP")
    refused = client.post(
        f"/api/reviews/{tested.booking.id}/send-back", json={"reason": "no"}, headers=login(unqualified)
    )
    assert refused.status_code == 403
    assert "not qualified to review DIODE-IV" in refused.json()["detail"]
    empty = client.post(
        f"/api/reviews/{tested.booking.id}/send-back", json={"reason": ""}, headers=login(make_reviewer(session))
    )
    assert empty.status_code == 422


def test_a_booking_not_in_review_cannot_be_sent_back_or_submitted_twice(
    client: Client, session: Session, tested: ReadyBooking, login: Login
) -> None:
    reviewer = make_reviewer(session)
    early = client.post(f"/api/reviews/{tested.booking.id}/send-back", json={"reason": "x"}, headers=login(reviewer))
    assert early.status_code == 409
    assert "must be in_review" in early.json()["detail"]
    headers = login(tested.engineer)
    assert client.post("/api/reviews", json={"booking": tested.booking.id}, headers=headers).is_success
    twice = client.post("/api/reviews", json={"booking": tested.booking.id}, headers=headers)
    assert twice.status_code == 409
    assert client.post("/api/reviews", json={"booking": 9999}, headers=headers).status_code == 404


def test_the_review_queue_lists_bookings_in_review_the_longest_waiting_first(
    client: Client, session: Session, settings: Settings, tested: ReadyBooking, login: Login
) -> None:
    first, second = make_reviewed_booking(session, settings), make_reviewed_booking(session, settings, runs=2)
    reviewer = login(first.reviewer)

    queue = client.get("/api/reviews", headers=reviewer)

    assert queue.status_code == 200, queue.text
    assert queue.json()["count"] == 2  # the booking still in testing waits for no reviewer
    entries = queue.json()["data"]
    assert [e["booking"] for e in entries] == [first.ready.booking.id, second.ready.booking.id]
    assert [e["runs"] for e in entries] == [1, 2]
    assert entries[0]["company"] == first.ready.company.name
    assert entries[0]["method_code"] == "DIODE-IV"
    assert client.get("/api/reviews", headers=login(tested.customer)).status_code == 403

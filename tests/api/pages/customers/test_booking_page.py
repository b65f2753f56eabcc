"""A booking's page: timeline, quote, samples, runs and reports; confirm, cancel and reschedule; what staff see;
and nothing of another company's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from labsys.certificates.models import Certificate
from labsys.companies.models import User
from labsys.runs.models import Run, RunStatus, Verdict
from tests.api.pages.conftest import Client, csrf_token
from tests.api.pages.customers.helpers import book, booking_id, free_starts, post_form
from tests.factories import Lab

pytestmark = pytest.mark.integration

#: These bookings' slots lie days ahead: their runs start early, with the override.
EARLY = {"reason": "the sample arrived early and the instrument is free"}

SignIn = Callable[[User], None]
Login = Callable[[User], dict[str, str]]
HTML = {"Accept": "text/html"}


def _step(client: Client, booking: int, step: str) -> object:
    token = csrf_token(client.get(f"/bookings/{booking}").text)
    return client.post(f"/bookings/{booking}/{step}", data={"_csrf_token": token}, follow_redirects=False)


def test_confirming_the_quote_confirms_the_booking(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))

    response = _step(client, booking, "confirm")

    assert response.status_code == 303  # type: ignore[attr-defined]
    assert client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()["status"] == "confirmed"
    page = client.get(f"/bookings/{booking}").text
    assert "예약 확정" not in page  # the quote's button is gone
    assert '<li class="step step-current step-confirmed" aria-current="step">' in page
    assert '<li class="step step-done step-quoted">' in page


def test_confirming_twice_says_why_not_on_the_booking_page(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    token = csrf_token(client.get(f"/bookings/{booking}").text)
    client.post(f"/bookings/{booking}/confirm", data={"_csrf_token": token})

    again = client.post(f"/bookings/{booking}/confirm", data={"_csrf_token": token})

    assert again.status_code == 409
    assert "예약 상태가 바뀌어 지금은 이 작업을 할 수 없습니다" in again.text
    assert "cannot become confirmed" in again.text


def test_cancelling_cancels_the_booking(client: Client, lab: Lab, sign_in_page: SignIn, login: Login) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    assert "예, 예약을 취소합니다" in client.get(f"/bookings/{booking}").text

    response = _step(client, booking, "cancel")

    assert response.status_code == 303  # type: ignore[attr-defined]
    assert client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()["status"] == "cancelled"
    page = client.get(f"/bookings/{booking}").text
    assert '<li class="step step-current step-cancelled" aria-current="step">' in page
    assert f'action="/bookings/{booking}/cancel"' not in page
    assert f'href="/bookings/{booking}/reschedule"' not in page


def test_rescheduling_moves_the_booking_to_the_slot_chosen(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    form = client.get(f"/bookings/{booking}/reschedule")
    assert form.status_code == 200
    later = free_starts(form.text)[7]

    token = csrf_token(form.text)
    moved = client.post(
        f"/bookings/{booking}/reschedule", data={"start": later, "_csrf_token": token}, follow_redirects=False
    )

    assert moved.status_code == 303
    stored = client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()
    assert datetime.fromisoformat(stored["starts_at"]) == datetime.fromisoformat(later)


def test_a_refused_reschedule_shows_the_rule_and_moves_to_the_next_slot_from_its_button(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    form = client.get(f"/bookings/{booking}/reschedule").text
    taken = free_starts(form)[6]
    other = {"method": "DIODE-IV", "samples": [{"label": "X"}], "start": taken}
    assert client.post("/api/bookings", json=other, headers=login(lab.other_customer)).status_code == 201

    refused = client.post(f"/bookings/{booking}/reschedule", data={"start": taken, "_csrf_token": csrf_token(form)})

    assert refused.status_code == 409
    assert "그 시간은 방금 다른 예약이 잡혔습니다" in refused.text
    assert "다음 가능 일시로 변경" in refused.text
    assert post_form(client, refused.text, f"/bookings/{booking}/reschedule").status_code == 303
    stored = client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()
    assert datetime.fromisoformat(stored["starts_at"]) > datetime.fromisoformat(taken)


def test_another_companys_booking_is_not_found(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    client.cookies.clear()
    sign_in_page(lab.other_customer)
    token = csrf_token(client.get("/bookings").text)

    assert client.get(f"/bookings/{booking}", headers=HTML).status_code == 404
    assert client.get(f"/bookings/{booking}/reschedule", headers=HTML).status_code == 404
    confirm = client.post(f"/bookings/{booking}/confirm", data={"_csrf_token": token}, headers=HTML)
    assert confirm.status_code == 404


def test_an_engineer_sees_links_to_receive_the_samples_not_the_customers_steps(
    client: Client, lab: Lab, sign_in_page: SignIn
) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    _step(client, booking, "confirm")
    client.cookies.clear()
    sign_in_page(lab.engineer)

    page = client.get(f"/bookings/{booking}").text

    assert f'href="/bookings/{booking}/receive"' in page
    assert "시료 접수" in page
    assert f'action="/bookings/{booking}/cancel"' not in page
    assert f'href="/bookings/{booking}/reschedule"' not in page


def test_the_page_lists_the_samples_condition_and_the_runs_with_their_status(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    _step(client, booking, "confirm")
    engineer = login(lab.engineer)
    sample = client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()["samples"][0]["id"]
    receipt = {"samples": [{"sample_id": sample, "condition": "밀봉 상태 양호"}]}
    assert client.post(f"/api/bookings/{booking}/receive", json=receipt, headers=engineer).status_code == 200
    run = client.post("/api/runs", json={"booking": booking, "sample": sample, "early": EARLY}, headers=engineer)
    assert run.status_code == 202, run.text

    page = client.get(f"/bookings/{booking}").text

    assert "밀봉 상태 양호" in page
    assert f'href="/runs/{run.json()["id"]}"' in page
    assert "대기 중" in page  # queued for a station
    assert f'href="/runs/{run.json()["id"]}/data"' not in page  # no data before the run ends


def test_the_calendar_file_comes_with_the_session(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    assert client.get("/calendar.ics", headers=HTML, follow_redirects=False).status_code in (302, 303)
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    bookings = client.get("/bookings").text
    assert 'href="/calendar.ics"' in bookings
    assert 'href="/account#calendar-address"' in bookings  # where the address to subscribe to is made

    feed = client.get("/calendar.ics")

    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VCALENDAR" in feed.text
    assert f"UID:booking-{booking}@" in feed.text


def test_an_ended_run_offers_its_file_and_plot_and_an_issued_report_its_pdf(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login, session: Session
) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    _step(client, booking, "confirm")
    engineer = login(lab.engineer)
    sample = client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()["samples"][0]["id"]
    receipt = {"samples": [{"sample_id": sample, "condition": "양호"}]}
    client.post(f"/api/bookings/{booking}/receive", json=receipt, headers=engineer)
    run_id = client.post(
        "/api/runs", json={"booking": booking, "sample": sample, "early": EARLY}, headers=engineer
    ).json()["id"]
    # What a station records when the run ends, and a reviewer when the report is issued.
    run = session.get(Run, run_id)
    assert run is not None
    run.status, run.verdict, run.hdf5_sha256 = RunStatus.COMPLETED, Verdict.PASS, "ab" * 32
    run.finished_at = datetime.now(UTC)
    session.add(run)
    certificate = Certificate(
        number="KVC-2026-000123", booking_id=booking, issued_by_id=lab.admin.id or 0, pdf_path="x.pdf",
        pdf_sha256="cd" * 32,
    )  # fmt: skip
    session.add(certificate)
    session.commit()

    page = client.get(f"/bookings/{booking}").text

    assert f'href="/runs/{run_id}/data"' in page
    assert f'data-preview="/runs/{run_id}/preview"' in page
    assert "/static/vendor/uPlot-1.6.32.iife.min.js" in page
    assert '<span class="badge ok">적합</span>' in page
    assert 'href="/certificates/KVC-2026-000123/pdf"' in page


def test_an_engineer_submits_the_completed_runs_for_review_from_the_booking_page(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login, session: Session
) -> None:
    sign_in_page(lab.customer)
    booking = booking_id(book(client))
    _step(client, booking, "confirm")
    engineer = login(lab.engineer)
    sample = client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()["samples"][0]["id"]
    receipt = {"samples": [{"sample_id": sample, "condition": "양호"}]}
    client.post(f"/api/bookings/{booking}/receive", json=receipt, headers=engineer)
    run_id = client.post(
        "/api/runs", json={"booking": booking, "sample": sample, "early": EARLY}, headers=engineer
    ).json()["id"]
    client.cookies.clear()
    sign_in_page(lab.engineer)

    while_open = _step(client, booking, "submit-for-review")

    assert while_open.status_code == 409  # type: ignore[attr-defined]
    assert client.get(f"/api/bookings/{booking}", headers=engineer).json()["status"] == "testing"
    run = session.get(Run, run_id)
    assert run is not None
    run.status, run.verdict, run.hdf5_sha256 = RunStatus.COMPLETED, Verdict.PASS, "ab" * 32
    run.finished_at = datetime.now(UTC)
    session.add(run)
    session.commit()

    submitted = _step(client, booking, "submit-for-review")

    assert submitted.status_code == 303  # type: ignore[attr-defined]
    assert client.get(f"/api/bookings/{booking}", headers=engineer).json()["status"] == "in_review"
    assert "검토 요청" not in client.get(f"/bookings/{booking}").text

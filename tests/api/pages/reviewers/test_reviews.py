"""The reviewer's pages: the queue, a booking's review with its results, approving (which issues the certificate)
and sending back with a reason."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from httpx import Response
from sqlmodel import Session

from labsys.companies.models import Role, User
from labsys.settings import Settings
from tests.api.pages.conftest import Client, csrf_token
from tests.labsys.certificates.factories import ReviewedBooking, complete_run, make_reviewed_booking
from tests.labsys.runs.conftest import make_ready_booking

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]
Login = Callable[[User], dict[str, str]]


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings, company_name="(주)한빛소재")


def _post(client: Client, page: str, action: str, data: dict[str, str]) -> Response:
    token = csrf_token(client.get(page).text)
    return client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)


def _booking_status(client: Client, login: Login, reviewed: ReviewedBooking) -> str:
    booking = client.get(f"/api/bookings/{reviewed.ready.booking.id}", headers=login(reviewed.reviewer))
    return str(booking.json()["status"])


def test_the_queue_lists_bookings_in_review_the_longest_waiting_first_and_no_others(
    client: Client, session: Session, settings: Settings, reviewed: ReviewedBooking, sign_in_page: SignIn
) -> None:
    later = make_reviewed_booking(session, settings)
    testing = make_ready_booking(session)
    complete_run(session, settings, testing)
    sign_in_page(reviewed.reviewer)

    page = client.get("/reviews")

    assert page.status_code == 200
    assert "검토 대기 목록" in page.text
    first, second = f'href="/reviews/{reviewed.ready.booking.id}"', f'href="/reviews/{later.ready.booking.id}"'
    assert page.text.index(first) < page.text.index(second)
    assert "(주)한빛소재" in page.text
    assert "DIODE-IV" in page.text
    assert f'href="/reviews/{testing.booking.id}"' not in page.text


def test_a_customer_may_not_open_the_review_queue(
    client: Client, reviewed: ReviewedBooking, sign_in_page: SignIn
) -> None:
    sign_in_page(reviewed.ready.customer)

    assert client.get("/reviews", headers={"Accept": "text/html"}).status_code == 403
    assert client.get(f"/reviews/{reviewed.ready.booking.id}").status_code == 403


def test_the_review_shows_each_result_with_its_uncertainty_unit_and_verdict_and_the_runs_plot(
    client: Client, reviewed: ReviewedBooking, sign_in_page: SignIn
) -> None:
    sign_in_page(reviewed.reviewer)

    page = client.get(f"/reviews/{reviewed.ready.booking.id}")

    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert "이상 계수" in text  # ideality factor, rounded as the certificate prints it
    assert '<td class="figure">1.520</td> <td class="figure">± 0.020</td> <td class="figure">2.00</td>' in text
    assert "<td>Ω</td>" in text
    assert '<td class="figure">2.70</td> <td class="figure">± 0.30</td>' in text  # the saturation current in nA
    assert "<td>nA</td>" in text
    assert "적합" in text
    assert "보호대역 적용 (ILAC-G8)" in text  # DIODE-IV's decision rule
    assert f'data-preview="/runs/{reviewed.run.id}/preview"' in text
    assert f'name="run-{reviewed.run.id}" checked' in text


def test_approving_issues_the_certificate_whose_pdf_downloads_from_a_link(
    client: Client, reviewed: ReviewedBooking, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    review = f"/reviews/{reviewed.ready.booking.id}"

    approved = _post(client, review, f"{review}/approve", {f"run-{reviewed.run.id}": "on"})

    assert approved.status_code == 303
    issued = client.get(
        "/api/certificates", params={"booking": reviewed.ready.booking.id}, headers=login(reviewed.reviewer)
    ).json()
    assert issued["count"] == 1
    number = issued["data"][0]["number"]
    assert approved.headers["location"] == f"/certificates/{number}"
    assert _booking_status(client, login, reviewed) == "reported"
    page = client.get(approved.headers["location"])
    assert f'href="/certificates/{number}/pdf"' in page.text
    pdf = client.get(f"/certificates/{number}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["x-content-sha256"] == issued["data"][0]["pdf_sha256"]


def test_approving_with_no_run_chosen_says_so_next_to_the_runs_and_issues_nothing(
    client: Client, reviewed: ReviewedBooking, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    review = f"/reviews/{reviewed.ready.booking.id}"

    refused = _post(client, review, f"{review}/approve", {})

    assert refused.status_code == 422
    assert 'id="runs-error"' in refused.text
    assert "성적서에 기재할 시험 실행을 하나 이상 선택하세요." in refused.text
    assert client.get("/api/certificates", headers=login(reviewed.reviewer)).json()["count"] == 0
    assert _booking_status(client, login, reviewed) == "in_review"


def test_the_engineer_who_ran_the_test_is_refused_with_the_services_reason(
    client: Client, session: Session, reviewed: ReviewedBooking, sign_in_page: SignIn, login: Login
) -> None:
    engineer = reviewed.ready.engineer
    engineer.role, engineer.qualifications = Role.REVIEWER, ["DIODE-IV"]  # promoted since the run
    session.add(engineer)
    session.commit()
    sign_in_page(engineer)
    review = f"/reviews/{reviewed.ready.booking.id}"
    assert "직접 수행한 시험 실행입니다" in client.get(review).text

    refused = _post(client, review, f"{review}/approve", {f"run-{reviewed.run.id}": "on"})

    assert refused.status_code == 403
    assert "이 작업을 할 권한이 없습니다." in refused.text
    assert f"you ran run {reviewed.run.id}: a second person must approve it" in refused.text
    assert _booking_status(client, login, reviewed) == "in_review"


def test_sending_back_without_a_reason_is_refused_next_to_the_field(
    client: Client, reviewed: ReviewedBooking, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    review = f"/reviews/{reviewed.ready.booking.id}"

    for blank in ("", "   "):
        refused = _post(client, review, f"{review}/send-back", {"reason": blank})
        assert refused.status_code == 422
        assert 'id="reason-error"' in refused.text
        assert "재시험을 요청하는 사유를 적어 주세요." in refused.text
    assert _booking_status(client, login, reviewed) == "in_review"


def test_sending_back_with_a_reason_returns_the_booking_to_testing(
    client: Client, reviewed: ReviewedBooking, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    review = f"/reviews/{reviewed.ready.booking.id}"

    sent = _post(client, review, f"{review}/send-back", {"reason": "준수 전류 한계에 걸렸습니다: 다시 측정하세요"})

    assert sent.status_code == 303
    assert sent.headers["location"] == f"/reviews?sent_back={reviewed.ready.booking.id}"
    assert _booking_status(client, login, reviewed) == "testing"
    queue = client.get(sent.headers["location"]).text
    assert f"예약 #{reviewed.ready.booking.id}에 재시험을 요청했습니다" in queue
    assert f'href="/reviews/{reviewed.ready.booking.id}"' not in queue
    assert "이 예약은 검토 단계가 아닙니다" in client.get(review).text


def test_sending_back_a_booking_no_longer_in_review_is_refused_with_the_services_reason(
    client: Client, reviewed: ReviewedBooking, sign_in_page: SignIn
) -> None:
    sign_in_page(reviewed.reviewer)
    review = f"/reviews/{reviewed.ready.booking.id}"
    token = csrf_token(client.get(review).text)
    assert _post(client, review, f"{review}/send-back", {"reason": "first"}).status_code == 303

    again = client.post(f"{review}/send-back", data={"reason": "twice", "_csrf_token": token}, follow_redirects=False)

    assert again.status_code == 409
    assert "현재 상태에서는 이 작업을 할 수 없습니다." in again.text
    assert "must be in_review" in again.text


def test_a_review_form_without_its_csrf_token_is_refused(
    client: Client, reviewed: ReviewedBooking, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    review = f"/reviews/{reviewed.ready.booking.id}"

    refused = client.post(f"{review}/approve", data={f"run-{reviewed.run.id}": "on"}, follow_redirects=False)

    assert refused.status_code == 403
    assert client.get("/api/certificates", headers=login(reviewed.reviewer)).json()["count"] == 0

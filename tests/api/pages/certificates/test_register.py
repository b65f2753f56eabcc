"""The certificate register as pages: owners and staff list and open certificates and download the signed PDF;
reviewers amend and revoke with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from httpx import Response
from sqlmodel import Session

from labsys.certificates.codes import format_code
from labsys.certificates.models import Certificate
from labsys.companies.models import User
from labsys.settings import Settings
from tests.api.pages.conftest import Client, csrf_token
from tests.factories import make_company
from tests.labsys.certificates.factories import ReviewedBooking, issue, make_reviewed_booking

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]
Login = Callable[[User], dict[str, str]]


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings)


@pytest.fixture
def issued(session: Session, settings: Settings, reviewed: ReviewedBooking) -> Certificate:
    return issue(session, settings, reviewed)


def _post(client: Client, page: str, action: str, data: dict[str, str]) -> Response:
    token = csrf_token(client.get(page).text)
    return client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)


def _api(client: Client, login: Login, reviewed: ReviewedBooking, number: str) -> dict[str, Any]:
    response = client.get(f"/api/certificates/{number}", headers=login(reviewed.reviewer))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_customer_lists_its_certificates_opens_one_and_downloads_its_pdf(
    client: Client, reviewed: ReviewedBooking, issued: Certificate, sign_in_page: SignIn
) -> None:
    sign_in_page(reviewed.ready.customer)

    listed = client.get("/certificates")
    page = client.get(f"/certificates/{issued.number}")
    pdf = client.get(f"/certificates/{issued.number}/pdf")

    code = format_code(issued.verification_code)
    assert listed.status_code == 200
    assert f'<code class="verification-code">{code}</code>' in listed.text
    assert f'<code class="verification-code">{code}</code>' in page.text
    assert f"/verify?number={issued.number}&amp;code={code}" in page.text
    assert f'href="/certificates/{issued.number}"' in listed.text
    assert f'href="/certificates/{issued.number}/pdf"' in listed.text
    assert "유효" in listed.text
    assert page.status_code == 200
    assert issued.pdf_sha256 in page.text
    assert "정정 발행" not in page.text  # a customer neither amends nor revokes
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["x-content-sha256"] == issued.pdf_sha256
    assert f'filename="{issued.number}.pdf"' in pdf.headers["content-disposition"]
    assert pdf.content.startswith(b"%PDF")


def test_another_companys_certificate_is_neither_listed_nor_shown(
    client: Client, session: Session, issued: Certificate, sign_in_page: SignIn
) -> None:
    _, stranger = make_company(session)
    sign_in_page(stranger)

    assert issued.number not in client.get("/certificates").text
    assert client.get(f"/certificates/{issued.number}", headers={"Accept": "text/html"}).status_code == 404
    assert client.get(f"/certificates/{issued.number}/pdf").status_code == 404


def test_staff_see_every_companys_certificates(
    client: Client, session: Session, settings: Settings, issued: Certificate, sign_in_page: SignIn
) -> None:
    other = make_reviewed_booking(session, settings)
    second = issue(session, settings, other)
    sign_in_page(other.reviewer)

    listed = client.get("/certificates").text

    assert issued.number in listed
    assert second.number in listed


def test_a_reviewer_amends_with_a_reason_and_the_revision_supersedes_the_certificate(
    client: Client, reviewed: ReviewedBooking, issued: Certificate, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    page = f"/certificates/{issued.number}"

    amended = _post(client, page, f"{page}/amend", {"reason": "시료 설명 정정"})

    assert amended.status_code == 303
    assert amended.headers["location"] == f"/certificates/{issued.number}-R1"
    assert _api(client, login, reviewed, issued.number)["status"] == "superseded"
    assert _api(client, login, reviewed, f"{issued.number}-R1")["amendment_reason"] == "시료 설명 정정"
    old = client.get(page).text
    assert f"정정본 {issued.number}-R1(으)로 대체되었습니다" in old
    assert "시료 설명 정정" in old  # the history states why it was amended
    assert 'action="/certificates/' not in old.replace('action="/sign-out"', "")  # it stands no longer


def test_an_amendment_without_a_reason_is_refused_next_to_the_field(
    client: Client, reviewed: ReviewedBooking, issued: Certificate, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    page = f"/certificates/{issued.number}"

    refused = _post(client, page, f"{page}/amend", {"reason": "  "})

    assert refused.status_code == 422
    assert 'id="amend-error"' in refused.text
    assert "정정하는 내용을 적어 주세요." in refused.text
    assert _api(client, login, reviewed, issued.number)["status"] == "issued"


def test_revoking_asks_for_confirmation_then_revokes_with_the_reason(
    client: Client, reviewed: ReviewedBooking, issued: Certificate, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    page = f"/certificates/{issued.number}"

    asked = _post(client, page, f"{page}/revoke", {"reason": "다른 시료를 시험함"})

    assert asked.status_code == 200
    assert "발행 취소는 되돌릴 수 없습니다" in asked.text
    assert f"예약 #{reviewed.ready.booking.id}은(는) 다시 검토 단계로 돌아갑니다" in asked.text
    assert 'name="confirmed" value="yes"' in asked.text
    assert _api(client, login, reviewed, issued.number)["status"] == "issued"
    confirmed = client.post(
        f"{page}/revoke",
        data={"reason": "다른 시료를 시험함", "confirmed": "yes", "_csrf_token": csrf_token(asked.text)},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == page
    revoked = _api(client, login, reviewed, issued.number)
    assert (revoked["status"], revoked["revoked_reason"]) == ("revoked", "다른 시료를 시험함")
    after = client.get(page).text
    assert "이 성적서는 발행이 취소되었습니다. 사유: 다른 시료를 시험함" in after
    assert "현재 이 시험의 유효한 성적서는 없습니다." in after
    booking = client.get(f"/api/bookings/{reviewed.ready.booking.id}", headers=login(reviewed.reviewer)).json()
    assert booking["status"] == "in_review"  # back in the review queue, for a corrected certificate
    assert f'href="/reviews/{reviewed.ready.booking.id}"' in client.get("/reviews").text


def test_revoking_without_a_reason_is_refused_next_to_the_field(
    client: Client, reviewed: ReviewedBooking, issued: Certificate, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.reviewer)
    page = f"/certificates/{issued.number}"

    refused = _post(client, page, f"{page}/revoke", {"reason": "", "confirmed": "yes"})

    assert refused.status_code == 422
    assert 'id="revoke-error"' in refused.text
    assert "발행을 취소하는 사유를 적어 주세요." in refused.text
    assert _api(client, login, reviewed, issued.number)["status"] == "issued"


def test_a_customer_may_not_amend_or_revoke(
    client: Client, reviewed: ReviewedBooking, issued: Certificate, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(reviewed.ready.customer)
    page = f"/certificates/{issued.number}"

    for action in ("amend", "revoke"):
        refused = _post(client, page, f"{page}/{action}", {"reason": "x", "confirmed": "yes"})
        assert refused.status_code == 403
    assert _api(client, login, reviewed, issued.number)["status"] == "issued"

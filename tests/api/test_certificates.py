"""Certificates over HTTP: a reviewer issues, amends and revokes; owners and staff list and download."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from labsys.companies.models import Role, User
from labsys.settings import Settings
from tests.api.conftest import Client
from tests.factories import make_company, make_user
from tests.labsys.certificates.factories import KOREAN_COMPANY, ReviewedBooking, make_reviewed_booking
from tests.results.certificates.poppler import pdf_pages_text, poppler

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings, company_name=KOREAN_COMPANY)


def _issue(client: Client, login: Login, reviewed: ReviewedBooking) -> dict[str, Any]:
    body = {"booking": reviewed.ready.booking.id, "runs": [reviewed.run.id]}
    response = client.post("/api/certificates", json=body, headers=login(reviewed.reviewer))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _pdf(client: Client, headers: dict[str, str], number: str) -> bytes:
    response = client.get(f"/api/certificates/{number}/pdf", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return response.content


def test_an_issued_certificate_is_a_signed_pdf_that_pdfsig_accepts_unchanged(
    client: Client, reviewed: ReviewedBooking, login: Login, settings: Settings
) -> None:
    issued = _issue(client, login, reviewed)
    assert issued["number"].startswith("LAB-")
    assert issued["status"] == "issued"
    code = issued["verification_code"]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    assert issued["verification_url"] == f"{settings.public_url}/verify?number={issued['number']}&code={code}"
    assert issued["runs"] == [{"run": reviewed.run.id, "hdf5_sha256": reviewed.run.hdf5_sha256}]
    pdf = _pdf(client, login(reviewed.ready.customer), issued["number"])
    first_page = " ".join(pdf_pages_text(pdf)[0].split())
    assert f"Certificate No. {issued['number']} Verification code {code}" in first_page
    assert f"number={issued['number']}&code={code}" in first_page.replace(" ", "")
    report = poppler("pdfsig", pdf=pdf)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert hashlib.sha256(pdf).hexdigest() == issued["pdf_sha256"]


def test_every_page_carries_the_number_and_the_korean_company_name_is_intact(
    client: Client, reviewed: ReviewedBooking, login: Login
) -> None:
    issued = _issue(client, login, reviewed)
    pages = pdf_pages_text(_pdf(client, login(reviewed.reviewer), issued["number"]))
    assert len(pages) >= 2
    assert all(issued["number"] in page for page in pages)
    assert KOREAN_COMPANY in pages[0]


def test_the_engineer_who_ran_the_test_cannot_approve_it(
    client: Client, session: Session, reviewed: ReviewedBooking, login: Login
) -> None:
    engineer = reviewed.ready.engineer
    engineer.role, engineer.qualifications = Role.REVIEWER, ["DIODE-IV"]  # promoted since the run
    session.add(engineer)
    session.commit()
    body = {"booking": reviewed.ready.booking.id, "runs": [reviewed.run.id]}
    response = client.post("/api/certificates", json=body, headers=login(engineer))
    assert response.status_code == 403
    assert response.json()["detail"] == f"you ran run {reviewed.run.id}: a second person must approve it"
    assert client.get("/api/certificates", headers=login(reviewed.reviewer)).json()["count"] == 0


def test_only_reviewers_issue_and_bad_runs_are_refused_with_the_reason(
    client: Client, session: Session, reviewed: ReviewedBooking, login: Login
) -> None:
    body = {"booking": reviewed.ready.booking.id, "runs": [reviewed.run.id]}
    assert client.post("/api/certificates", json=body, headers=login(reviewed.ready.engineer)).status_code == 403
    unqualified = make_user(session, Role.REVIEWER, qualifications=["LCR-CAP"])
    refused = client.post("/api/certificates", json=body, headers=login(unqualified))
    assert refused.status_code == 403
    assert "not qualified to review DIODE-IV" in refused.json()["detail"]
    stranger = {"booking": reviewed.ready.booking.id, "runs": [999]}
    assert client.post("/api/certificates", json=stranger, headers=login(reviewed.reviewer)).status_code == 422
    empty = {"booking": reviewed.ready.booking.id, "runs": []}
    assert client.post("/api/certificates", json=empty, headers=login(reviewed.reviewer)).status_code == 422


def test_an_amendment_supersedes_the_original_and_both_stay_downloadable(
    client: Client, reviewed: ReviewedBooking, login: Login
) -> None:
    original = _issue(client, login, reviewed)
    number = original["number"]
    reason = {"reason": "sample description corrected"}
    response = client.post(f"/api/certificates/{number}/amend", json=reason, headers=login(reviewed.reviewer))
    assert response.status_code == 201, response.text
    amended = response.json()
    assert amended["number"] == f"{number}-R1"
    assert amended["replaces"] == number
    assert amended["amendment_reason"] == "sample description corrected"
    customer = login(reviewed.ready.customer)
    old = client.get(f"/api/certificates/{number}", headers=customer).json()
    assert old["status"] == "superseded"
    assert old["superseded_by"] == f"{number}-R1"
    assert _pdf(client, customer, number) != _pdf(client, customer, amended["number"])
    assert "replaces" in pdf_pages_text(_pdf(client, customer, amended["number"]))[0]
    again = client.post(f"/api/certificates/{number}/amend", json=reason, headers=login(reviewed.reviewer))
    assert again.status_code == 409
    second = client.post(f"/api/certificates/{number}-R1/amend", json=reason, headers=login(reviewed.reviewer))
    assert second.json()["number"] == f"{number}-R2"


def test_a_revoked_certificate_keeps_its_document_and_cannot_be_amended(
    client: Client, reviewed: ReviewedBooking, login: Login
) -> None:
    number = _issue(client, login, reviewed)["number"]
    headers = login(reviewed.reviewer)
    revoked = client.post(f"/api/certificates/{number}/revoke", json={"reason": "wrong sample tested"}, headers=headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["revoked_reason"] == "wrong sample tested"
    assert _pdf(client, login(reviewed.ready.customer), number).startswith(b"%PDF")
    amend = client.post(f"/api/certificates/{number}/amend", json={"reason": "x"}, headers=headers)
    assert amend.status_code == 409
    assert "revoked" in amend.json()["detail"]
    assert client.post(f"/api/certificates/{number}/revoke", json={"reason": "x"}, headers=headers).status_code == 409


def test_a_customer_never_sees_another_companys_certificates(
    client: Client, session: Session, reviewed: ReviewedBooking, login: Login
) -> None:
    number = _issue(client, login, reviewed)["number"]
    _, stranger = make_company(session)
    headers = login(stranger)
    assert client.get("/api/certificates", headers=headers).json() == {"data": [], "count": 0}
    assert client.get(f"/api/certificates/{number}", headers=headers).status_code == 404
    assert client.get(f"/api/certificates/{number}/pdf", headers=headers).status_code == 404
    owner = client.get("/api/certificates", headers=login(reviewed.ready.customer)).json()
    assert [c["number"] for c in owner["data"]] == [number]
    assert client.get("/api/certificates", headers=login(reviewed.ready.engineer)).json()["count"] == 1


def test_signed_out_callers_get_no_certificates(client: Client, reviewed: ReviewedBooking, login: Login) -> None:
    number = _issue(client, login, reviewed)["number"]
    assert client.get("/api/certificates").status_code == 401
    assert client.get(f"/api/certificates/{number}/pdf").status_code == 401

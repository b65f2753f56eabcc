"""The public verification page: a certificate's standing and digests, and checking a PDF someone holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from labsys.companies.models import User
from labsys.settings import Settings
from tests.api.conftest import Client
from tests.labsys.certificates.factories import (
    KOREAN_COMPANY,
    ReviewedBooking,
    flip_one_byte_of_the_title,
    make_reviewed_booking,
)
from tests.results.certificates.poppler import poppler

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]
PDF = {"Content-Type": "application/pdf"}


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings, company_name=KOREAN_COMPANY)


@pytest.fixture
def issued(client: Client, reviewed: ReviewedBooking, login: Login) -> dict[str, Any]:
    body = {"booking": reviewed.ready.booking.id, "runs": [reviewed.run.id]}
    response = client.post("/api/certificates", json=body, headers=login(reviewed.reviewer))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _pdf(client: Client, login: Login, reviewed: ReviewedBooking, number: str) -> bytes:
    return client.get(f"/api/certificates/{number}/pdf", headers=login(reviewed.reviewer)).content


def test_anyone_sees_the_standing_and_digests_of_a_certificate(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking
) -> None:
    response = client.get(f"/verify/{issued['number']}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    page = response.json()
    assert page["status"] == "issued"
    assert page["number"] == issued["number"]
    assert page["issued_on"] == issued["issued_on"]
    assert page["applicant"] == KOREAN_COMPANY
    assert (page["method_code"], page["method_title"]) == ("DIODE-IV", "Diode forward I-V characterisation")
    assert page["pdf_sha256"] == issued["pdf_sha256"]
    assert page["runs"] == [{"run": reviewed.run.id, "hdf5_sha256": reviewed.run.hdf5_sha256}]
    assert page["superseded_by"] is None
    assert "stands" in page["message"]


def test_a_browser_is_sent_to_the_verification_page_where_every_value_is_escaped(
    client: Client, session: Session, issued: dict[str, Any], reviewed: ReviewedBooking
) -> None:
    reviewed.ready.booking.applicant = {"name": "<script>alert(1)</script> 한빛"}
    session.add(reviewed.ready.booking)
    session.commit()
    browser = client.get(f"/verify/{issued['number']}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 200
    assert browser.headers["content-type"].startswith("text/html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 한빛" in browser.text
    assert "<script>" not in browser.text
    assert issued["pdf_sha256"] in browser.text
    assert client.get(f"/verify/{issued['number']}?format=html").headers["content-type"].startswith("text/html")


def test_an_unknown_number_is_404(client: Client) -> None:
    assert client.get("/verify/LAB-2026-999999").status_code == 404
    assert client.post("/verify/LAB-2026-999999", content=b"%PDF-1.7", headers=PDF).status_code == 404


def test_the_issued_pdf_is_recognised_as_the_labs_document_with_a_trusted_signature(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    pdf = _pdf(client, login, reviewed, issued["number"])
    response = client.post(f"/verify/{issued['number']}", content=pdf, headers=PDF)
    assert response.status_code == 200, response.text
    check = response.json()
    assert check["issued_document"] is True
    assert check["uploaded_sha256"] == issued["pdf_sha256"]
    assert (check["signed"], check["signature_valid"], check["signature_trusted"]) == (True, True, True)
    assert check["authentic"] is True
    assert check["finding"] == "authentic"
    assert "exactly the document the lab issued" in check["message"]


def test_a_copy_with_one_byte_changed_is_not_the_issued_document(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    tampered = flip_one_byte_of_the_title(_pdf(client, login, reviewed, issued["number"]))
    report = poppler("pdfsig", pdf=tampered)
    assert "Signature is Valid." not in report
    check = client.post(f"/verify/{issued['number']}", content=tampered, headers=PDF).json()
    assert check["issued_document"] is False
    assert check["signature_valid"] is False
    assert check["authentic"] is False
    assert check["problem"] == "the document was changed after it was signed"
    assert check["finding"] == "changed"
    assert check["message"].startswith(f"This is NOT the document the lab issued as {issued['number']}")


def test_something_that_is_not_a_pdf_is_reported_not_raised(client: Client, issued: dict[str, Any]) -> None:
    check = client.post(f"/verify/{issued['number']}", content=b"hello", headers=PDF).json()
    assert (check["issued_document"], check["signed"], check["authentic"]) == (False, False, False)
    assert check["finding"] == "not_from_the_lab"
    assert client.post(f"/verify/{issued['number']}", content=b"", headers=PDF).status_code == 422


def test_a_revoked_certificate_verifies_as_revoked_with_its_reason(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    number = issued["number"]
    reason = {"reason": "the sample was mislabelled"}
    assert client.post(f"/api/certificates/{number}/revoke", json=reason, headers=login(reviewed.reviewer)).is_success
    page = client.get(f"/verify/{number}").json()
    assert page["status"] == "revoked"
    assert page["revoked_reason"] == "the sample was mislabelled"
    assert "REVOKED" in page["message"]
    pdf = _pdf(client, login, reviewed, number)
    check = client.post(f"/verify/{number}", content=pdf, headers=PDF).json()
    assert check["issued_document"] is True
    assert check["status"] == "revoked"
    assert "revoked" in check["message"]


def test_a_superseded_certificate_names_its_replacement_and_the_replacement_names_it(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    number = issued["number"]
    amend = client.post(f"/api/certificates/{number}/amend", json={"reason": "typo"}, headers=login(reviewed.reviewer))
    assert amend.status_code == 201
    old = client.get(f"/verify/{number}").json()
    assert (old["status"], old["superseded_by"]) == ("superseded", f"{number}-R1")
    new = client.get(f"/verify/{number}-R1").json()
    assert (new["status"], new["replaces"]) == ("issued", number)


def test_the_verification_page_is_in_the_openapi_document_with_its_pdf_body(client: Client) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert "/verify/{number}" in paths
    body = paths["/verify/{number}"]["post"]["requestBody"]
    assert "application/pdf" in body["content"]
    assert {"/api/certificates", "/api/certificates/{number}/pdf", "/api/reviews"} <= set(paths)

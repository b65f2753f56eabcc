"""The public verification page: a certificate's standing and digests for whoever gives its number and code, and
checking a PDF someone holds; nothing about any customer for anyone else."""

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
NO_SUCH = "no certificate with this number and code: check both as printed at the top of the report"


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings, company_name=KOREAN_COMPANY)


def _issue(client: Client, login: Login, reviewed: ReviewedBooking) -> dict[str, Any]:
    body = {"booking": reviewed.ready.booking.id, "runs": [reviewed.run.id]}
    response = client.post("/api/certificates", json=body, headers=login(reviewed.reviewer))
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture
def issued(client: Client, reviewed: ReviewedBooking, login: Login) -> dict[str, Any]:
    return _issue(client, login, reviewed)


def _pdf(client: Client, login: Login, reviewed: ReviewedBooking, number: str) -> bytes:
    return client.get(f"/api/certificates/{number}/pdf", headers=login(reviewed.reviewer)).content


def _verify(client: Client, certificate: dict[str, Any]) -> dict[str, Any]:
    response = client.get(f"/verify/{certificate['number']}", params={"code": certificate["verification_code"]})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_whoever_gives_the_number_and_code_sees_the_standing_and_digests(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking
) -> None:
    response = client.get(f"/verify/{issued['number']}", params={"code": issued["verification_code"]})
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
    assert (page["superseded_by"], page["current"]) == (None, issued["number"])
    assert "stands" in page["message"]


def test_the_code_may_be_typed_in_lower_case_without_dashes(client: Client, issued: dict[str, Any]) -> None:
    typed = issued["verification_code"].replace("-", "").lower()

    response = client.get(f"/verify/{issued['number']}", params={"code": typed})

    assert response.status_code == 200
    assert response.json()["applicant"] == KOREAN_COMPANY


def test_walking_sequential_numbers_without_their_codes_reveals_no_customer_method_or_date(
    client: Client, session: Session, settings: Settings, login: Login, issued: dict[str, Any]
) -> None:
    other = _issue(client, login, make_reviewed_booking(session, settings, company_name="(주)두리전자"))
    prefix = issued["number"].rsplit("-", 1)[0]
    walked = [f"{prefix}-{n:06d}" for n in range(1, 6)]  # two were issued, three were not
    assert {issued["number"], other["number"]} < set(walked)
    secrets = ("(주)한빛소재", "(주)두리전자", "DIODE-IV", "Diode forward", issued["issued_on"], other["issued_on"])

    matching = {(c["number"], c["verification_code"]) for c in (issued, other)}  # the answers that may reveal

    answers = []
    for number in walked:
        for code in (None, "", "0000-0000-0000-0000", issued["verification_code"], other["verification_code"]):
            if (number, code) in matching:
                continue
            response = client.get(f"/verify/{number}", params={} if code is None else {"code": code})
            answers.append((response.status_code, response.json()))
            assert not any(secret in response.text for secret in secrets), (number, code)

    assert {status for status, _body in answers} == {404}
    assert all(body == {"status_code": 404, "detail": NO_SUCH} for _status, body in answers)


def test_the_page_of_a_number_without_its_code_is_the_same_for_an_issued_number_and_an_unknown_one(
    client: Client, issued: dict[str, Any]
) -> None:
    unknown = issued["number"][:-1] + "9"
    secrets = (KOREAN_COMPANY, "DIODE-IV", "Diode forward", issued["pdf_sha256"])

    for query in ({}, {"code": "WRONG-CODE"}):
        pages = [client.get("/verify", params={"number": number, **query}) for number in (issued["number"], unknown)]
        known, never = pages
        assert known.status_code == never.status_code == (404 if query else 200)
        assert known.text.replace(issued["number"], unknown) == never.text
        assert not any(secret in known.text for secret in secrets)


def test_a_browser_is_sent_to_the_verification_page_where_every_value_is_escaped(
    client: Client, session: Session, issued: dict[str, Any], reviewed: ReviewedBooking
) -> None:
    reviewed.ready.booking.applicant = {"name": "<script>alert(1)</script> 한빛"}
    session.add(reviewed.ready.booking)
    session.commit()
    code = issued["verification_code"]
    browser = client.get(
        f"/verify/{issued['number']}?code={code}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert browser.status_code == 200
    assert browser.headers["content-type"].startswith("text/html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 한빛" in browser.text
    assert "<script>" not in browser.text
    assert issued["pdf_sha256"] in browser.text
    html = client.get(f"/verify/{issued['number']}?format=html&code={code}")
    assert html.headers["content-type"].startswith("text/html")


def test_a_file_that_is_not_the_issued_one_learns_the_same_of_an_issued_number_and_an_unknown_one(
    client: Client, issued: dict[str, Any]
) -> None:
    unknown = issued["number"][:-1] + "9"

    known = client.post(f"/verify/{issued['number']}", content=b"%PDF-1.7", headers=PDF)
    never = client.post(f"/verify/{unknown}", content=b"%PDF-1.7", headers=PDF)

    assert known.status_code == never.status_code == 200
    assert {**known.json(), "number": unknown, "message": ""} == {**never.json(), "message": ""}
    check = known.json()
    assert (check["status"], check["issued_sha256"], check["certificate"]) == (None, None, None)
    assert check["message"].startswith(f"This is NOT the document the lab issued as {issued['number']}")
    assert KOREAN_COMPANY not in known.text


def test_the_issued_pdf_is_recognised_as_the_labs_document_and_opens_its_record(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    pdf = _pdf(client, login, reviewed, issued["number"])
    response = client.post(f"/verify/{issued['number']}", content=pdf, headers=PDF)
    assert response.status_code == 200, response.text
    check = response.json()
    assert check["issued_document"] is True
    assert check["uploaded_sha256"] == check["issued_sha256"] == issued["pdf_sha256"]
    assert (check["signed"], check["signature_valid"], check["signature_trusted"]) == (True, True, True)
    assert check["authentic"] is True
    assert check["finding"] == "authentic"
    assert "exactly the document the lab issued" in check["message"]
    assert (check["certificate"]["applicant"], check["certificate"]["status"]) == (KOREAN_COMPANY, "issued")


def test_a_copy_with_one_byte_changed_is_not_the_issued_document(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    tampered = flip_one_byte_of_the_title(_pdf(client, login, reviewed, issued["number"]))
    report = poppler("pdfsig", pdf=tampered)
    assert "Signature is Valid." not in report
    response = client.post(f"/verify/{issued['number']}", content=tampered, headers=PDF)
    check = response.json()
    assert check["issued_document"] is False
    assert check["signature_valid"] is False
    assert check["authentic"] is False
    assert check["problem"] == "the document was changed after it was signed"
    assert check["finding"] == "changed"
    assert check["message"].startswith(f"This is NOT the document the lab issued as {issued['number']}")
    assert check["certificate"] is None
    assert KOREAN_COMPANY not in response.text


def test_something_that_is_not_a_pdf_is_reported_not_raised(client: Client, issued: dict[str, Any]) -> None:
    check = client.post(f"/verify/{issued['number']}", content=b"hello", headers=PDF).json()
    assert (check["issued_document"], check["signed"], check["authentic"]) == (False, False, False)
    assert check["finding"] == "not_from_the_lab"
    assert client.post(f"/verify/{issued['number']}", content=b"", headers=PDF).status_code == 422


def test_a_revoked_certificate_verifies_as_revoked_with_its_reason_and_says_nothing_stands(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    number = issued["number"]
    reason = {"reason": "the sample was mislabelled"}
    assert client.post(f"/api/certificates/{number}/revoke", json=reason, headers=login(reviewed.reviewer)).is_success
    page = _verify(client, issued)
    assert page["status"] == "revoked"
    assert page["revoked_reason"] == "the sample was mislabelled"
    assert page["current"] is None
    assert "REVOKED" in page["message"]
    assert "No certificate of this test stands now." in page["message"]
    pdf = _pdf(client, login, reviewed, number)
    check = client.post(f"/verify/{number}", content=pdf, headers=PDF).json()
    assert check["issued_document"] is True
    assert check["status"] == "revoked"
    assert "REVOKED" in check["message"]


def test_a_superseded_certificate_names_its_replacement_and_the_replacement_names_it(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    number = issued["number"]
    amend = client.post(f"/api/certificates/{number}/amend", json={"reason": "typo"}, headers=login(reviewed.reviewer))
    assert amend.status_code == 201
    old = _verify(client, issued)
    assert (old["status"], old["superseded_by"], old["current"]) == ("superseded", f"{number}-R1", f"{number}-R1")
    assert f"The certificate that stands now is {number}-R1" in old["message"]
    new = _verify(client, amend.json())
    assert (new["status"], new["replaces"], new["current"]) == ("issued", number, f"{number}-R1")


def test_after_the_amendment_is_revoked_and_a_correction_issued_each_certificate_says_what_stands_now(
    client: Client, issued: dict[str, Any], reviewed: ReviewedBooking, login: Login
) -> None:
    reviewer = login(reviewed.reviewer)
    number = issued["number"]
    amendment = client.post(f"/api/certificates/{number}/amend", json={"reason": "typo"}, headers=reviewer).json()
    revoked = client.post(
        f"/api/certificates/{amendment['number']}/revoke", json={"reason": "wrong sample"}, headers=reviewer
    )
    assert revoked.status_code == 200

    original = _verify(client, issued)
    assert (original["status"], original["current"]) == ("superseded", None)
    assert "rely on" not in original["message"]
    assert "No certificate of this test stands now." in original["message"]
    assert _verify(client, amendment)["current"] is None

    body = {"booking": reviewed.ready.booking.id, "runs": [reviewed.run.id]}
    corrected = client.post("/api/certificates", json=body, headers=reviewer)
    assert corrected.status_code == 201, corrected.text
    correction = corrected.json()
    assert (correction["number"], correction["replaces"]) == (f"{number}-R2", amendment["number"])

    for earlier in (issued, amendment):
        page = _verify(client, earlier)
        assert page["current"] == correction["number"]
        assert f"The certificate that stands now is {correction['number']}: rely on that one." in page["message"]
    assert _verify(client, correction)["status"] == "issued"


def test_the_verification_page_is_in_the_openapi_document_with_its_pdf_body_and_code(client: Client) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert "/verify/{number}" in paths
    body = paths["/verify/{number}"]["post"]["requestBody"]
    assert "application/pdf" in body["content"]
    assert "code" in {parameter["name"] for parameter in paths["/verify/{number}"]["get"]["parameters"]}
    assert {"/api/certificates", "/api/certificates/{number}/pdf", "/api/reviews"} <= set(paths)

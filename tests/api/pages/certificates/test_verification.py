"""The public verification page: a visitor enters a certificate number with its verification code, or uploads the
PDF from a browser form (multipart), and reads in plain Korean whether the lab issued it unchanged and whether it
still stands; a number without its code tells nobody anything."""

from __future__ import annotations

import pytest
from httpx import Response
from sqlmodel import Session

from labsys.certificates.codes import format_code
from labsys.certificates.models import Certificate
from labsys.settings import Settings
from tests.api.pages.conftest import Client
from tests.labsys.certificates.factories import (
    ReviewedBooking,
    amend,
    flip_one_byte_of_the_title,
    issue,
    make_reviewed_booking,
    revoke,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings, company_name="(주)한빛소재")


@pytest.fixture
def issued(session: Session, settings: Settings, reviewed: ReviewedBooking) -> Certificate:
    return issue(session, settings, reviewed)


def _issued_pdf(settings: Settings, certificate: Certificate) -> bytes:
    return (settings.data_dir / certificate.pdf_path).read_bytes()


def _upload(client: Client, number: str, pdf: bytes | None, code: str = "") -> Response:
    """Fill in the form as a browser does: the number, the code typed, and the file chosen (multipart/form-data)."""
    files = {"pdf": ("report.pdf" if pdf else "", pdf or b"", "application/pdf")}
    return client.post("/verify", data={"number": number, "code": code}, files=files)


def _code(certificate: Certificate) -> str:
    return format_code(certificate.verification_code)


def test_the_form_takes_a_number_and_its_code_or_a_pdf_file(client: Client) -> None:
    page = client.get("/verify")

    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert '<input id="pdf" name="pdf" type="file" accept="application/pdf"' in page.text
    assert '<label for="number">성적서 번호</label>' in page.text
    assert '<label for="code">확인 코드</label>' in page.text


def test_the_number_and_code_typed_into_the_form_show_the_register(client: Client, issued: Certificate) -> None:
    typed = _code(issued).lower().replace("-", " ")

    checked = _upload(client, issued.number, None, code=typed)

    assert checked.status_code == 200
    assert f"시험소 발행 대장에 따르면 성적서 {issued.number}는" in checked.text
    assert "(주)한빛소재" in checked.text


def test_the_issued_pdf_uploaded_from_the_form_is_authentic(
    client: Client, settings: Settings, issued: Certificate
) -> None:
    checked = _upload(client, issued.number, _issued_pdf(settings, issued))

    assert checked.status_code == 200
    assert "진본입니다. 이 파일은 시험소가 발행한 성적서와 정확히 같고, 전자서명도 유효합니다." in checked.text
    assert f"시험소 발행 대장에 따르면 성적서 {issued.number}는" in checked.text
    assert "현재 유효합니다" in checked.text
    assert "(주)한빛소재" in checked.text


def test_a_pdf_with_one_byte_changed_is_said_to_be_changed(
    client: Client, settings: Settings, issued: Certificate
) -> None:
    tampered = flip_one_byte_of_the_title(_issued_pdf(settings, issued))

    checked = _upload(client, issued.number, tampered)

    assert checked.status_code == 200
    assert "이 파일은 시험소가 서명한 뒤 변경되었습니다." in checked.text
    assert "진본입니다" not in checked.text


def test_a_file_the_lab_never_signed_is_said_not_to_be_the_labs(client: Client, issued: Certificate) -> None:
    checked = _upload(client, issued.number, b"%PDF-1.7 a look-alike")

    assert "시험소가 발행한 파일이 아닙니다." in checked.text
    assert "(주)한빛소재" not in checked.text  # a look-alike learns nothing of the certificate


def test_a_look_alike_file_with_the_right_code_shows_the_register_beside_the_finding(
    client: Client, issued: Certificate
) -> None:
    checked = _upload(client, issued.number, b"%PDF-1.7 a look-alike", code=_code(issued))

    assert "시험소가 발행한 파일이 아닙니다." in checked.text
    assert f"시험소 발행 대장에 따르면 성적서 {issued.number}는" in checked.text


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client: Client, issued: Certificate) -> None:
    unknown = issued.number[:-1] + "9"

    wrong = _upload(client, issued.number, None, code="0000-0000-0000-0000")
    never = _upload(client, unknown, None, code="0000-0000-0000-0000")

    assert wrong.status_code == never.status_code == 404
    assert "시험소 발행 대장에 이 번호와 확인 코드로 발행된 성적서가 없습니다." in wrong.text
    assert wrong.text.replace(issued.number, unknown) == never.text
    assert "(주)한빛소재" not in wrong.text


def test_a_missing_number_or_code_is_shown_next_to_its_field(client: Client) -> None:
    checked = _upload(client, " ", None)

    assert checked.status_code == 422
    assert 'id="number-error"' in checked.text
    assert 'id="code-error"' in checked.text
    assert "번호 옆에 인쇄된 확인 코드를 입력하거나 성적서 PDF 파일을 선택하세요." in checked.text


def test_the_address_in_the_reports_qr_code_opens_the_page_with_the_answer(client: Client, issued: Certificate) -> None:
    page = client.get(f"/verify?number={issued.number}&code={_code(issued)}")

    assert f"시험소 발행 대장에 따르면 성적서 {issued.number}는" in page.text
    assert issued.pdf_sha256 in page.text
    assert f'value="{issued.number}"' in page.text  # the form is ready for the file


def test_the_api_address_sends_a_browser_to_the_page_with_the_code(client: Client, issued: Certificate) -> None:
    sent = client.get(
        f"/verify/{issued.number}",
        params={"code": _code(issued)},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )

    assert sent.status_code in (302, 303)
    assert sent.headers["location"] == f"/verify?number={issued.number}&code={_code(issued)}"


def test_an_old_address_without_a_code_opens_the_form_for_the_code_or_the_file(
    client: Client, issued: Certificate
) -> None:
    sent = client.get(f"/verify/{issued.number}", headers={"Accept": "text/html"})

    assert sent.status_code == 200
    assert f'value="{issued.number}"' in sent.text
    assert "(주)한빛소재" not in sent.text
    assert "시험소 발행 대장에 따르면" not in sent.text


def test_a_revoked_or_superseded_certificate_says_so_with_the_reason_or_the_revision(
    client: Client, session: Session, settings: Settings, reviewed: ReviewedBooking, issued: Certificate
) -> None:
    revision = amend(session, settings, reviewed, issued.number, reason="시료 설명 정정")
    revoke(session, settings, reviewed, revision.number, reason="시료가 뒤바뀜")

    superseded = _upload(client, issued.number, _issued_pdf(settings, issued)).text
    revoked = client.get(f"/verify?number={revision.number}&code={_code(revision)}").text

    assert "진본입니다" in superseded
    assert f"정정본 {revision.number}로 대체되었습니다" in superseded
    assert "현재 이 시험의 유효한 성적서는 없습니다." in superseded
    assert "발행이 취소되었습니다" in revoked
    assert "사유: 시료가 뒤바뀜" in revoked
    assert "현재 이 시험의 유효한 성적서는 없습니다." in revoked


def test_once_a_correction_is_issued_the_revoked_certificate_names_it(
    client: Client, session: Session, settings: Settings, reviewed: ReviewedBooking, issued: Certificate
) -> None:
    revoke(session, settings, reviewed, issued.number, reason="시료가 뒤바뀜")
    correction = issue(session, settings, reviewed)

    revoked = client.get(f"/verify?number={issued.number}&code={_code(issued)}").text

    assert f"현재 이 시험의 유효한 성적서는 {correction.number}입니다." in revoked


def test_a_visitor_checks_a_file_without_an_account_or_a_session(
    client: Client, settings: Settings, issued: Certificate
) -> None:
    client.cookies.clear()

    checked = _upload(client, issued.number, _issued_pdf(settings, issued))

    assert checked.status_code == 200
    assert "진본입니다" in checked.text


def test_the_page_speaks_english_to_a_visitor_who_chose_it(client: Client, issued: Certificate) -> None:
    client.cookies.set("labsys_lang", "en")

    page = client.get(f"/verify?number={issued.number}&code={_code(issued)}").text

    assert f"According to the lab's register, certificate {issued.number} was issued on" in page
    assert '<label for="pdf">Or the report' in page

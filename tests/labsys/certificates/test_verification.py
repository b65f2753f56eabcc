"""What the public verification states: the record to the number with its code or to the issued PDF; the same
refusal to a wrong code and to a number never issued."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from labsys.certificates.codes import format_code
from labsys.certificates.views import NO_SUCH_CERTIFICATE, record_of_document, verification_record
from labsys.errors import NotFound
from labsys.settings import Settings
from results.certificates import sha256_bytes
from tests.labsys.certificates.factories import issue, make_reviewed_booking

pytestmark = pytest.mark.integration


def test_the_record_answers_only_to_its_number_with_its_own_code(session: Session, settings: Settings) -> None:
    first = issue(session, settings, make_reviewed_booking(session, settings, company_name="(주)한빛소재"))
    second = issue(session, settings, make_reviewed_booking(session, settings, company_name="(주)두리전자"))

    record = verification_record(
        session=session, number=first.number, code=format_code(first.verification_code).lower(), settings=settings
    )
    assert (record.number, record.applicant) == (first.number, "(주)한빛소재")

    refusals = []
    for number, code in [
        (first.number, ""),
        (first.number, second.verification_code),  # another certificate's code
        (first.number[:-1] + "9", first.verification_code),  # a number never issued
    ]:
        with pytest.raises(NotFound) as refused:
            verification_record(session=session, number=number, code=code, settings=settings)
        refusals.append((refused.value.detail, refused.value.extra))
    assert refusals == [(NO_SUCH_CERTIFICATE, {})] * 3


def test_the_issued_pdf_opens_the_record_and_any_other_file_opens_nothing(session: Session, settings: Settings) -> None:
    certificate = issue(session, settings, make_reviewed_booking(session, settings))
    issued = (settings.data_dir / certificate.pdf_path).read_bytes()

    found = record_of_document(
        session=session, number=certificate.number, sha256=sha256_bytes(issued), settings=settings
    )
    assert found is not None
    assert found.number == certificate.number
    other = sha256_bytes(issued + b"\n")
    assert record_of_document(session=session, number=certificate.number, sha256=other, settings=settings) is None
    unknown = certificate.number[:-1] + "9"
    assert record_of_document(session=session, number=unknown, sha256=sha256_bytes(issued), settings=settings) is None

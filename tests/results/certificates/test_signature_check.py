"""A signature check tells an intact, trusted report from a changed, extended or foreign one."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from results.certificates.pki import LabPkiPaths, create_lab_pki
from results.certificates.signature_check import async_check_signature, check_signature, sha256_bytes
from tests.results.certificates.poppler import poppler


def _flip_one_byte_of_the_title(pdf: bytes) -> bytes:
    """Change one character of the document title, which lies inside the signed byte range."""
    position = pdf.index(b"/Title (Test Report LS-") + len(b"/Title (Test Report LS-")
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]


@pytest.mark.unit
def test_signed_report_is_valid_trusted_and_wholly_covered(signed_pdf: bytes, lab_pki: LabPkiPaths) -> None:
    check = check_signature(signed_pdf, [lab_pki.ca_certificate])
    assert check.ok
    assert (check.signed, check.intact, check.valid, check.trusted, check.covers_whole_file) == (True,) * 5
    assert "Test Report Signing" in check.signer
    assert check.signed_at is not None
    assert check.problem == ""


@pytest.mark.integration
def test_one_changed_byte_in_the_signed_range_is_caught_by_pdfsig_and_the_check(
    signed_pdf: bytes, lab_pki: LabPkiPaths
) -> None:
    tampered = _flip_one_byte_of_the_title(signed_pdf)
    assert len(tampered) == len(signed_pdf)
    assert tampered != signed_pdf

    report = poppler("pdfsig", pdf=tampered)
    assert "Signature is Valid." not in report
    assert "Digest Mismatch" in report

    check = check_signature(tampered, [lab_pki.ca_certificate])
    assert not check.ok
    assert not check.intact
    assert not check.valid
    assert check.problem == "the document was changed after it was signed"


@pytest.mark.unit
def test_content_appended_after_signing_is_reported(signed_pdf: bytes, lab_pki: LabPkiPaths) -> None:
    check = check_signature(signed_pdf + b"\n%% appended later\n", [lab_pki.ca_certificate])
    assert check.intact
    assert not check.covers_whole_file
    assert not check.ok


@pytest.mark.unit
def test_a_report_signed_under_another_root_is_not_trusted(signed_pdf: bytes, tmp_path: Path) -> None:
    other = create_lab_pki(tmp_path, "Some Other Lab")
    check = check_signature(signed_pdf, [other.ca_certificate])
    assert check.valid
    assert not check.trusted
    assert not check.ok
    assert check.problem == "the signer's certificate does not chain to a trusted root"


@pytest.mark.unit
def test_an_unsigned_report_is_reported_as_not_signed(report_pdf: bytes, lab_pki: LabPkiPaths) -> None:
    check = check_signature(report_pdf, [lab_pki.ca_certificate])
    assert not check.signed
    assert not check.ok
    assert check.problem == "the document is not signed"


@pytest.mark.unit
def test_bytes_that_are_not_a_pdf_are_reported_not_raised(lab_pki: LabPkiPaths) -> None:
    check = check_signature(b"GIF89a not a report", [lab_pki.ca_certificate])
    assert not check.signed
    assert check.problem.startswith("not a readable PDF")


@pytest.mark.unit
def test_sha256_of_a_report_is_its_lowercase_hex_digest(signed_pdf: bytes) -> None:
    digest = sha256_bytes(signed_pdf)
    assert digest == hashlib.sha256(signed_pdf).hexdigest()
    assert len(digest) == 64
    assert digest == digest.lower()


@pytest.mark.unit
def test_the_check_can_be_awaited_inside_a_running_event_loop(signed_pdf: bytes, lab_pki: LabPkiPaths) -> None:
    async def handler() -> bool:
        return (await async_check_signature(signed_pdf, [lab_pki.ca_certificate])).ok

    assert asyncio.run(handler())

"""A signed report is a PAdES signature over the whole file that poppler's pdfsig accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from results.certificates.pki import LabPkiPaths
from results.certificates.signing import SIGNATURE_FIELD, SigningKeyError, load_signer
from tests.results.certificates.poppler import poppler


@pytest.mark.integration
def test_pdfsig_reports_the_signature_valid_and_the_whole_document_signed(signed_pdf: bytes) -> None:
    report = poppler("pdfsig", pdf=signed_pdf)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert f"Signature Field Name: {SIGNATURE_FIELD}" in report
    assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES
    assert "Signing Hash Algorithm: SHA-256" in report
    assert "Hanbit Shared Verification Lab Test Report Signing" in report


@pytest.mark.unit
def test_signing_appends_to_the_rendered_report_without_changing_it(report_pdf: bytes, signed_pdf: bytes) -> None:
    assert signed_pdf.startswith(report_pdf)
    assert len(signed_pdf) > len(report_pdf)


@pytest.mark.unit
def test_loading_a_missing_key_file_is_refused(lab_pki: LabPkiPaths, tmp_path: Path) -> None:
    with pytest.raises(SigningKeyError, match="does not exist"):
        load_signer(tmp_path / "missing.key.pem", lab_pki.signing_certificate)


@pytest.mark.unit
def test_loading_a_certificate_as_the_key_is_refused(lab_pki: LabPkiPaths) -> None:
    with pytest.raises(SigningKeyError, match="could not load a signing key"):
        load_signer(lab_pki.signing_certificate, lab_pki.signing_certificate)

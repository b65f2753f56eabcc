"""A signed report is a PAdES signature over the whole file that poppler's pdfsig accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from results.certificates.pki import LabPkiPaths, create_lab_pki
from results.certificates.signature_check import check_signature
from results.certificates.signing import SIGNATURE_FIELD, SigningKeyError, load_signer, sign_pdf
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


@pytest.mark.integration
def test_a_lab_whose_name_is_longer_than_a_common_name_is_named_whole_to_pdfsig_and_pyhanko(
    report_pdf: bytes, tmp_path: Path
) -> None:
    long_name = "Industrial Complex Verification Center for Materials, Parts and Equipment"  # 73 characters
    pki = create_lab_pki(tmp_path, long_name)
    signed = sign_pdf(report_pdf, load_signer(pki.signing_key, pki.signing_certificate, pki.ca_certificate))

    report = poppler("pdfsig", pdf=signed)
    check = check_signature(signed, [pki.ca_certificate])

    assert "Signature Validation: Signature is Valid." in report
    assert f'O="{long_name}"' in report  # whole, quoted for its commas
    assert "Signer Certificate Common Name: Test Report Signing" in report
    assert check.ok
    assert f"Organization: {long_name}" in check.signer


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

"""A signature timestamped by the lab's timestamp authority (PAdES B-T): its time is the authority's, not the signing
machine's clock; pdfsig still verifies the report, and the token is in the signature it checks."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from asn1crypto import cms, tsp

from results.certificates import TimestampError, check_signature, sign_pdf
from results.certificates.pki import LabPkiPaths
from results.certificates.signing import LabSigner
from tests.timestamp_authority import TSA_NAME, LocalTsa, local_tsa

pytestmark = pytest.mark.integration

#: A time no clock here shows: what the authority vouches for, told apart from the signer's own clock.
STAMPED = dt.datetime(2026, 3, 2, 1, 23, 45, tzinfo=dt.UTC)


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[LocalTsa]:
    with local_tsa(tmp_path, STAMPED) as running:
        yield running


@pytest.fixture
def stamped_pdf(report_pdf: bytes, lab_signer: LabSigner, tsa: LocalTsa) -> bytes:
    return sign_pdf(report_pdf, replace(lab_signer, timestamp_url=tsa.url))


def _pdfsig(pdf: bytes, directory: Path, *args: str) -> str:
    tool = shutil.which("pdfsig")
    if tool is None:
        pytest.fail("pdfsig is missing: install poppler-utils (apt-get install -y poppler-utils)")
    (directory / "report.pdf").write_bytes(pdf)
    done = subprocess.run(
        [tool, *args, "report.pdf"], cwd=directory, capture_output=True, text=True, check=False, timeout=60
    )
    return done.stdout + done.stderr


def _timestamp_token(signature: bytes) -> tsp.TSTInfo | None:
    """The RFC 3161 token in a CMS signature's unsigned attributes, if it has one."""
    signer_info = cms.ContentInfo.load(signature)["content"]["signer_infos"][0]
    for attribute in signer_info["unsigned_attrs"] or []:
        if attribute["type"].native == "signature_time_stamp_token":
            token: cms.ContentInfo = attribute["values"][0]
            return token["content"]["encap_content_info"]["content"].parsed
    return None


def test_a_signature_timestamped_by_the_lab_s_authority_carries_its_time(
    stamped_pdf: bytes, lab_pki: LabPkiPaths, tsa: LocalTsa
) -> None:
    check = check_signature(stamped_pdf, [lab_pki.ca_certificate])

    assert check.ok
    assert check.timestamped_at == STAMPED
    assert check.signed_at != STAMPED  # the signer's own clock, beside it
    assert tsa.requests  # the authority was asked


def test_pdfsig_verifies_a_timestamped_report_whose_signature_holds_the_authority_s_token(
    stamped_pdf: bytes, tmp_path: Path
) -> None:
    said = _pdfsig(stamped_pdf, tmp_path)
    assert "Signature Validation: Signature is Valid." in said
    assert "Total document signed" in said

    dumped = _pdfsig(stamped_pdf, tmp_path, "-dump")  # the signature pdfsig verified, as it read it

    assert "report.pdf.sig0" in dumped
    token = _timestamp_token((tmp_path / "report.pdf.sig0").read_bytes())
    assert token is not None
    assert token["gen_time"].native == STAMPED
    assert TSA_NAME in token["tsa"].chosen.human_friendly


def test_without_a_timestamp_authority_a_signature_carries_the_signer_s_clock_only(
    signed_pdf: bytes, lab_pki: LabPkiPaths, tmp_path: Path
) -> None:
    check = check_signature(signed_pdf, [lab_pki.ca_certificate])
    assert check.ok
    assert check.timestamped_at is None
    _pdfsig(signed_pdf, tmp_path, "-dump")
    assert _timestamp_token((tmp_path / "report.pdf.sig0").read_bytes()) is None


def test_an_authority_that_does_not_answer_is_named(report_pdf: bytes, lab_signer: LabSigner, tmp_path: Path) -> None:
    with local_tsa(tmp_path, STAMPED) as gone:
        url = gone.url  # a port nothing listens on once the authority stopped
    with pytest.raises(TimestampError, match=f"the timestamp authority at {url} gave no timestamp"):
        sign_pdf(report_pdf, replace(lab_signer, timestamp_url=url))

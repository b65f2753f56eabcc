"""Shared fixtures: one lab PKI, one rendered specimen report and its signed copy per test session.

Rendering and key generation are the slow parts, and no test changes their output, so they are made once.
"""

from __future__ import annotations

import pytest

from results.certificates.pki import LabPkiPaths, create_lab_pki
from results.certificates.render import render_report
from results.certificates.signing import LabSigner, load_signer, sign_pdf
from results.certificates.specimen import specimen_report

LAB_NAME = "Hanbit Shared Verification Lab"


@pytest.fixture(scope="session")
def lab_pki(tmp_path_factory: pytest.TempPathFactory) -> LabPkiPaths:
    return create_lab_pki(tmp_path_factory.mktemp("pki"), LAB_NAME)


@pytest.fixture(scope="session")
def lab_signer(lab_pki: LabPkiPaths) -> LabSigner:
    return load_signer(lab_pki.signing_key, lab_pki.signing_certificate, lab_pki.ca_certificate, location="Daejeon, KR")


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    return render_report(specimen_report(runs=3))


@pytest.fixture(scope="session")
def signed_pdf(report_pdf: bytes, lab_signer: LabSigner) -> bytes:
    return sign_pdf(report_pdf, lab_signer)

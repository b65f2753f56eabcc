"""Shared fixtures: one lab PKI, one rendered specimen report and its signed copy per test session.

Rendering and key generation are the slow parts, and no test changes their output, so they are made once.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from results.certificates.pki import LabPkiPaths, create_lab_pki
from results.certificates.render import render_report
from results.certificates.signing import LabSigner, load_signer, sign_pdf
from results.certificates.specimen import specimen_report

LAB_NAME = "Hanbit Shared Verification Lab"


def poppler(tool: str, *args: str, pdf: bytes) -> str:
    """Run a poppler-utils tool on a PDF given as bytes and get its output (stdout and stderr).

    ``"{pdf}"`` among ``args`` stands for the PDF's path; without it the path goes last.
    """
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: install poppler-utils (apt-get install -y poppler-utils)")
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "report.pdf"
        file.write_bytes(pdf)
        arguments = [str(file) if arg == "{pdf}" else arg for arg in args]
        if "{pdf}" not in args:
            arguments.append(str(file))
        result = subprocess.run([path, *arguments], capture_output=True, text=True, check=False, timeout=60)
    return result.stdout + result.stderr


def pdf_pages_text(pdf: bytes) -> list[str]:
    """Get each page's text as pdftotext extracts it, one string per page."""
    text = poppler("pdftotext", "-enc", "UTF-8", "-layout", "{pdf}", "-", pdf=pdf)
    return text.split("\f")[:-1]  # every page ends with a form feed


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

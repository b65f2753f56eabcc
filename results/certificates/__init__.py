"""Test reports (certificates): plain report data, rendered to PDF, signed with the lab's key, and checked.

Typical use::

    pdf = render_report(data)
    signed = sign_pdf(pdf, load_signer(key_path, cert_path, ca_path))
    check = check_signature(signed, [ca_path])
"""

from results.certificates.model import (
    Amendment,
    DecisionRule,
    Laboratory,
    Measurement,
    Party,
    Person,
    PlotSeries,
    ReportData,
    ReportDates,
    ReportStatus,
    RunResult,
    TestItem,
    TestMethod,
    Verdict,
)
from results.certificates.pki import LabPkiPaths, create_lab_pki
from results.certificates.render import render_report
from results.certificates.signature_check import (
    SignatureCheck,
    async_check_signature,
    check_signature,
    sha256_bytes,
)
from results.certificates.signing import LabSigner, SigningKeyError, load_signer, sign_pdf

__all__ = [
    "Amendment",
    "DecisionRule",
    "LabPkiPaths",
    "LabSigner",
    "Laboratory",
    "Measurement",
    "Party",
    "Person",
    "PlotSeries",
    "ReportData",
    "ReportDates",
    "ReportStatus",
    "RunResult",
    "SignatureCheck",
    "SigningKeyError",
    "TestItem",
    "TestMethod",
    "Verdict",
    "async_check_signature",
    "check_signature",
    "create_lab_pki",
    "load_signer",
    "render_report",
    "sha256_bytes",
    "sign_pdf",
]

"""Test reports (certificates): plain report data, rendered to PDF, signed with the lab's key, and checked.

Typical use::

    pdf = render_report(data)
    signed = sign_pdf(pdf, load_signer(key_path, cert_path, ca_path))
    check = check_signature(signed, [ca_path])

Importing the package loads its data and nothing heavy: :func:`render_report` loads reportlab and matplotlib
when a report is rendered, :func:`load_signer`, :func:`sign_pdf` and the checks load pyHanko when they run,
:func:`create_lab_pki` loads cryptography when keys are made (:mod:`results.certificates.operations`). A service
that only lists, numbers or verifies certificates by their digest never pays for them.
"""

from results.certificates.authenticity import SignatureCheck, sha256_bytes
from results.certificates.keys import LabPki, LabPkiPaths, LabSigner, SigningKeyError, TimestampError, write_private
from results.certificates.measurements import BudgetLine, DecisionRule, Measurement, Verdict
from results.certificates.model import (
    Amendment,
    Condition,
    EquipmentUsed,
    Laboratory,
    Party,
    Person,
    ReportData,
    ReportDates,
    ReportStatus,
    RunResult,
    TestItem,
    TestMethod,
)
from results.certificates.operations import (
    async_check_signature,
    check_signature,
    create_lab_pki,
    load_signer,
    new_lab_pki,
    render_report,
    sign_pdf,
)
from results.certificates.series import PlotLine, PlotSeries

__all__ = [
    "Amendment",
    "BudgetLine",
    "Condition",
    "DecisionRule",
    "EquipmentUsed",
    "LabPki",
    "LabPkiPaths",
    "LabSigner",
    "Laboratory",
    "Measurement",
    "Party",
    "Person",
    "PlotLine",
    "PlotSeries",
    "ReportData",
    "ReportDates",
    "ReportStatus",
    "RunResult",
    "SignatureCheck",
    "SigningKeyError",
    "TestItem",
    "TestMethod",
    "TimestampError",
    "Verdict",
    "async_check_signature",
    "check_signature",
    "create_lab_pki",
    "load_signer",
    "new_lab_pki",
    "render_report",
    "sha256_bytes",
    "sign_pdf",
    "write_private",
]

"""Public verification: is this the document the lab issued under this number, and does its signature hold?

Anyone can check a certificate without an account: the page states its standing and digests, and a PDF sent
to it is compared byte for byte (SHA-256) with the issued one and its signature checked against the lab's root.
"""

from __future__ import annotations

from html import escape

from labsys.certificates.schemas import DocumentCheckPublic, DocumentFinding, VerificationPublic
from results.certificates import SignatureCheck, sha256_bytes

__all__ = ["document_check", "verification_html"]


def _message(record: VerificationPublic, issued: bool, authentic: bool, problem: str) -> str:
    if not issued:
        why = f" ({problem})" if problem else ""
        return f"This is NOT the document the lab issued as {record.number}{why}."
    standing = {
        "issued": "It stands.",
        "superseded": f"It was superseded by {record.superseded_by}.",
        "revoked": f"It was revoked: {record.revoked_reason}",
    }[record.status.value]
    if not authentic:
        return f"The document matches the issued file, but its signature does not check: {problem}. {standing}"
    return f"This is exactly the document the lab issued as {record.number}, signed by the lab. {standing}"


def _finding(issued: bool, check: SignatureCheck) -> DocumentFinding:
    if issued:
        return DocumentFinding.AUTHENTIC if check.ok else DocumentFinding.UNCONFIRMED
    if not check.signed:
        return DocumentFinding.NOT_FROM_THE_LAB
    if not check.valid or not check.covers_whole_file:
        return DocumentFinding.CHANGED
    return DocumentFinding.OTHER_DOCUMENT if check.trusted else DocumentFinding.NOT_FROM_THE_LAB


def document_check(record: VerificationPublic, pdf: bytes, check: SignatureCheck) -> DocumentCheckPublic:
    """What a check of an uploaded PDF found: whether it is the issued document (SHA-256), and its signature.

    Args:
        record: The certificate's public record (:func:`labsys.certificates.views.verification_record`).
        pdf: The uploaded file's bytes.
        check: Its signature, checked against the lab's root certificate.
    """
    uploaded = sha256_bytes(pdf)
    issued = uploaded == record.pdf_sha256
    authentic = issued and check.ok
    problem = check.problem or ("" if issued else "its SHA-256 differs from the issued document's")
    return DocumentCheckPublic(
        number=record.number,
        status=record.status,
        issued_document=issued,
        uploaded_sha256=uploaded,
        issued_sha256=record.pdf_sha256,
        signed=check.signed,
        signature_valid=check.valid,
        signature_trusted=check.trusted,
        covers_whole_file=check.covers_whole_file,
        signer=check.signer,
        signed_at=check.signed_at,
        problem=problem,
        authentic=authentic,
        finding=_finding(issued, check),
        message=_message(record, issued, authentic, problem),
    )


_STYLE = (
    "body{font-family:sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "table{border-collapse:collapse}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}"
    "code{font-size:.85rem;word-break:break-all}.issued{color:#176f2c}.superseded,.revoked{color:#b00020}"
)


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{value}</td></tr>"


def verification_html(record: VerificationPublic, lab_name: str) -> str:
    """The verification page for people: a small, self-contained HTML document (every value escaped)."""
    rows = [
        _row("Status", f'<strong class="{escape(record.status.value)}">{escape(record.status.value.upper())}</strong>'),
        _row("Certificate number", escape(record.number)),
        _row("Issue date", escape(record.issued_on.isoformat())),
        _row("Customer", escape(record.applicant)),
        _row("Test method", f"{escape(record.method_code)}: {escape(record.method_title)}"),
        _row("SHA-256 of the PDF", f"<code>{escape(record.pdf_sha256)}</code>"),
    ]
    rows += [_row(f"Run {r.run} data (HDF5) SHA-256", f"<code>{escape(r.hdf5_sha256)}</code>") for r in record.runs]
    if record.replaces:
        rows.append(_row("Replaces", escape(record.replaces)))
    if record.superseded_by:
        rows.append(_row("Superseded by", escape(record.superseded_by)))
    if record.revoked_on:
        rows.append(_row("Revoked on", escape(record.revoked_on.isoformat())))
        rows.append(_row("Reason for revocation", escape(record.revoked_reason)))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Certificate {escape(record.number)}</title>"
        f'<meta name="viewport" content="width=device-width"><style>{_STYLE}</style></head><body>'
        f"<h1>Certificate verification</h1><p>{escape(lab_name)}</p>"
        f"<p>{escape(record.message)}</p><table>{''.join(rows)}</table>"
        "<p>To check a copy you hold, compare its SHA-256 with the one above, or send the PDF to this address "
        "(<code>POST</code>, body <code>application/pdf</code>).</p></body></html>"
    )

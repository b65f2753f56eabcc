"""Public verification: is this the document the lab issued under this number, and does its signature hold?

Anyone can check a certificate without an account: the page states its standing and digests, and a PDF sent
to it is compared byte for byte (SHA-256) with the issued one and its signature checked against the lab's root.
"""

from __future__ import annotations

from labsys.certificates.schemas import DocumentCheckPublic, DocumentFinding, VerificationPublic
from results.certificates import SignatureCheck, sha256_bytes

__all__ = ["document_check"]


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
        timestamped_at=check.timestamped_at,
        problem=problem,
        authentic=authentic,
        finding=_finding(issued, check),
        message=_message(record, issued, authentic, problem),
    )

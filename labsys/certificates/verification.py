"""Public verification of a PDF someone holds: is this the document the lab issued under this number, and does
its signature hold?

Anyone can check a file without an account: it is compared byte for byte (SHA-256) with the issued one and its
signature is checked against the lab's root. Only the issued document itself opens the lab's record of the
certificate; for any other file the answer is the same whether or not the number exists.
"""

from __future__ import annotations

from labsys.certificates.schemas import DocumentCheckPublic, DocumentFinding, VerificationPublic
from labsys.certificates.views import status_sentence
from results.certificates import SignatureCheck

__all__ = ["document_check"]


def _message(number: str, record: VerificationPublic | None, authentic: bool, problem: str) -> str:
    if record is None:
        why = f" ({problem})" if problem else ""
        return f"This is NOT the document the lab issued as {number}{why}."
    standing = status_sentence(record)
    if not authentic:
        return f"The document matches the issued file, but its signature does not check: {problem}. {standing}"
    return f"This is exactly the document the lab issued as {number}, signed by the lab. {standing}"


def _finding(issued: bool, check: SignatureCheck) -> DocumentFinding:
    if issued:
        return DocumentFinding.AUTHENTIC if check.ok else DocumentFinding.UNCONFIRMED
    if not check.signed:
        return DocumentFinding.NOT_FROM_THE_LAB
    if not check.valid or not check.covers_whole_file:
        return DocumentFinding.CHANGED
    return DocumentFinding.OTHER_DOCUMENT if check.trusted else DocumentFinding.NOT_FROM_THE_LAB


def document_check(
    number: str, uploaded_sha256: str, record: VerificationPublic | None, check: SignatureCheck
) -> DocumentCheckPublic:
    """What a check of an uploaded PDF found: whether it is the issued document (SHA-256), and its signature.

    Args:
        number: The certificate number the file was checked against.
        uploaded_sha256: The uploaded file's SHA-256.
        record: The certificate's public record if the file is its issued document
            (:func:`labsys.certificates.views.record_of_document`), else None.
        check: Its signature, checked against the lab's root certificate.
    """
    issued = record is not None
    authentic = issued and check.ok
    problem = check.problem or ("" if issued else "it is not the file the lab issued under this number")
    return DocumentCheckPublic(
        number=number,
        status=record.status if record else None,
        issued_document=issued,
        uploaded_sha256=uploaded_sha256,
        issued_sha256=record.pdf_sha256 if record else None,
        signed=check.signed,
        signature_valid=check.valid,
        signature_trusted=check.trusted,
        covers_whole_file=check.covers_whole_file,
        signer=check.signer,
        signed_at=check.signed_at,
        problem=problem,
        authentic=authentic,
        finding=_finding(issued, check),
        message=_message(number, record, authentic, problem),
        certificate=record,
    )

"""What the API takes and gives for reviews, certificates and their public verification."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field
from sqlmodel import SQLModel

from labsys.bookings.models import BookingStatus, Urgency
from labsys.bounds import RecordId
from labsys.certificates.models import CertificateStatus, RunDigest

__all__ = [
    "CertificateAmend",
    "CertificateRevoke",
    "DocumentCheckPublic",
    "DocumentFinding",
    "ReviewPublic",
    "ReviewQueueEntry",
    "ReviewQueuePublic",
    "ReviewSendBack",
    "ReviewSubmit",
    "VerificationPublic",
]


class ReviewSubmit(SQLModel):
    """A booking whose completed runs an engineer submits for review."""

    booking: RecordId = Field(description="booking id")


class ReviewSendBack(SQLModel):
    """Why the reviewer sends the runs back to testing."""

    reason: str = Field(min_length=1, max_length=2000)


class ReviewPublic(SQLModel):
    """Where a booking stands in review after the step."""

    booking: int
    status: BookingStatus
    runs: list[int] = Field(description="its completed runs, which a certificate may state")
    reason: str = Field(default="", description="why it was sent back, if it was")


class ReviewQueueEntry(SQLModel):
    """A booking waiting for a reviewer: whose it is, which test, how many runs, and since when."""

    booking: int = Field(description="booking id")
    company: str = Field(description="the company's name")
    method_code: str
    method_title: str
    urgency: Urgency
    runs: int = Field(description="how many completed runs it has, which a certificate may state")
    waiting_since: datetime = Field(description="when it was submitted for review")


class ReviewQueuePublic(SQLModel):
    """The bookings in review, the longest waiting first."""

    data: list[ReviewQueueEntry]
    count: int


class CertificateAmend(SQLModel):
    """An amendment: why, and optionally a different set of the booking's runs (default: the same runs)."""

    reason: str = Field(min_length=1, max_length=2000)
    runs: list[RecordId] | None = Field(default=None, min_length=1)


class CertificateRevoke(SQLModel):
    """Why a certificate is withdrawn."""

    reason: str = Field(min_length=1, max_length=2000)


class VerificationPublic(SQLModel):
    """What anyone holding a certificate (its number and verification code, or its PDF) may learn of it: whether
    it stands, what stands now if it does not, and the digests to compare."""

    number: str
    status: CertificateStatus
    issued_on: date = Field(description="issue date at the lab (Asia/Seoul)")
    applicant: str
    method_code: str
    method_title: str
    pdf_sha256: str
    runs: list[RunDigest]
    replaces: str | None = Field(description="the certificate this one replaces, if any")
    superseded_by: str | None = Field(description="the certificate that replaced this one, if any")
    current: str | None = Field(
        description="the certificate of the same test that stands now (this one, if it stands), or null if none does"
    )
    revoked_on: date | None
    revoked_reason: str
    message: str = Field(description="the status in a sentence or two, naming what stands now")


class DocumentFinding(StrEnum):
    """What a check of an uploaded PDF found, in a word."""

    AUTHENTIC = "authentic"  # the issued document, its signature valid, the lab's and over the whole file
    UNCONFIRMED = "unconfirmed"  # the issued document's bytes, but its signature cannot be confirmed here
    CHANGED = "changed"  # signed, but changed after signing (or something was appended)
    OTHER_DOCUMENT = "other_document"  # signed by the lab and intact, but not the document issued under the number
    NOT_FROM_THE_LAB = "not_from_the_lab"  # unsigned, or signed by someone other than the lab


class DocumentCheckPublic(SQLModel):
    """Whether an uploaded PDF is exactly the document the lab issued under a number, and its signature holds.

    The lab's record of the certificate (``status``, ``issued_sha256``, ``certificate``) comes only with the issued
    document itself; any other file learns nothing of the number, not even whether the lab issued it.
    """

    number: str
    status: CertificateStatus | None = Field(description="the certificate's status; null unless issued_document")
    issued_document: bool = Field(description="the upload's SHA-256 equals the issued PDF's")
    uploaded_sha256: str
    issued_sha256: str | None = Field(description="the issued PDF's SHA-256; null unless issued_document")
    signed: bool
    signature_valid: bool = Field(description="intact and cryptographically valid")
    signature_trusted: bool = Field(description="the signer chains to the lab's root certificate")
    covers_whole_file: bool
    signer: str
    signed_at: datetime | None = Field(description="the signing time the signer's own clock stated")
    timestamped_at: datetime | None = Field(
        default=None, description="the time an RFC 3161 timestamp authority vouched for, if the signature has one"
    )
    problem: str
    authentic: bool = Field(description="issued_document and a valid, trusted signature over the whole file")
    finding: DocumentFinding = Field(description="what the check found, in a word")
    message: str
    certificate: VerificationPublic | None = Field(
        default=None, description="what the lab's register says of the certificate; null unless issued_document"
    )

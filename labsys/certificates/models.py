"""Certificates: signed test reports, which can be amended or revoked but never silently changed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = ["Certificate", "CertificateRun", "CertificateStatus"]


class CertificateStatus(StrEnum):
    """Whether a certificate stands, was replaced by an amendment, or was withdrawn."""

    ISSUED = "issued"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"


class Certificate(SQLModel, table=True):
    """An issued test report; ``pdf_sha256`` is the digest of the signed PDF exactly as issued."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True, index=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    status: CertificateStatus = Field(default=CertificateStatus.ISSUED, sa_type=enum_type(CertificateStatus))
    issued_by_id: int = Field(foreign_key="user.id")
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    replaces_id: int | None = Field(default=None, foreign_key="certificate.id")
    amendment_reason: str = Field(default="", max_length=2000)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_reason: str = Field(default="", max_length=2000)
    pdf_path: str = Field(max_length=500)
    pdf_sha256: str = Field(max_length=64)


class CertificateRun(SQLModel, table=True):
    """A run whose results a certificate reports."""

    __tablename__ = "certificate_run"

    certificate_id: int = Field(foreign_key="certificate.id", primary_key=True)
    run_id: int = Field(foreign_key="run.id", primary_key=True)

"""Certificates: signed test reports, which can be amended or revoked but never silently changed, as a SQLModel
family (see :mod:`labsys.companies.models`)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from labsys.bounds import RecordId
from labsys.certificates.codes import new_verification_code
from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = [
    "Certificate",
    "CertificateBase",
    "CertificateCreate",
    "CertificatePublic",
    "CertificateRun",
    "CertificateStatus",
    "CertificatesPublic",
    "RunDigest",
    "certificate_snapshot",
]


class CertificateStatus(StrEnum):
    """Whether a certificate stands, was replaced by an amendment, or was withdrawn."""

    ISSUED = "issued"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"


class CertificateCreate(SQLModel):
    """Approve a booking under review by issuing its certificate over these completed runs."""

    booking: RecordId = PydanticField(description="booking id (in review)")
    runs: list[RecordId] = PydanticField(
        min_length=1, description="ids of the booking's completed runs the report states"
    )


class CertificateBase(SQLModel):
    """An issued test report; ``pdf_sha256`` is the digest of the signed PDF exactly as issued, and
    ``verification_code`` the secret printed beside its number (:mod:`labsys.certificates.codes`) without which
    the public verification page says nothing about it."""

    number: str = Field(max_length=40, unique=True, index=True)
    status: CertificateStatus = Field(default=CertificateStatus.ISSUED, sa_type=enum_type(CertificateStatus))
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    amendment_reason: str = Field(default="", max_length=2000)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_reason: str = Field(default="", max_length=2000)
    pdf_sha256: str = Field(max_length=64)
    verification_code: str = Field(default_factory=new_verification_code, max_length=32)


class Certificate(CertificateBase, table=True):
    """A certificate in the lab's register; its signed PDF lives at ``pdf_path`` in the lab's data folder."""

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    issued_by_id: int = Field(foreign_key="user.id")
    replaces_id: int | None = Field(default=None, foreign_key="certificate.id")
    pdf_path: str = Field(max_length=500)


class CertificateRun(SQLModel, table=True):
    """A run whose results a certificate reports."""

    __tablename__ = "certificate_run"

    certificate_id: int = Field(foreign_key="certificate.id", primary_key=True)
    run_id: int = Field(foreign_key="run.id", primary_key=True)


class RunDigest(SQLModel):
    """A reported run and the SHA-256 of its HDF5 data file."""

    run: int
    hdf5_sha256: str


class CertificatePublic(CertificateBase):
    """A certificate in the lab's register, with its booking, method, issuer and neighbours by number.

    Only its owner and the lab's staff see it: it carries the verification code as printed (``XXXX-XXXX-…``).
    """

    booking: int
    company: int
    method_code: str
    issued_on: date = PydanticField(description="issue date at the lab (Asia/Seoul)")
    issued_by: str
    replaces: str | None = PydanticField(description="the certificate this one replaces, if any")
    superseded_by: str | None = PydanticField(description="the certificate that replaced this one, if any")
    current: str | None = PydanticField(
        description="the certificate of this booking that stands now (this one, if it stands), or null if none does"
    )
    runs: list[RunDigest]
    verification_url: str = PydanticField(description="the public verification page, with number and code")


class CertificatesPublic(SQLModel):
    """A list of certificates."""

    data: list[CertificatePublic]
    count: int


def certificate_snapshot(certificate: Certificate) -> dict[str, Any]:
    """What the audit trail keeps of a certificate: everything but its verification code, a secret the trail
    has no need to spread."""
    return certificate.model_dump(exclude={"verification_code"})

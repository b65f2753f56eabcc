"""Certificates as the API shows them: the register entry, and what the public verification page states."""

from __future__ import annotations

from sqlmodel import Session, col, select

from labsys.bookings.models import Booking
from labsys.certificates.models import Certificate, CertificatePublic, CertificateRun, CertificateStatus, RunDigest
from labsys.certificates.report import verification_url
from labsys.certificates.schemas import VerificationPublic
from labsys.companies.models import Company, User
from labsys.errors import NotFound
from labsys.methods.models import TestMethod
from labsys.runs.models import Run
from labsys.settings import Settings

__all__ = ["certificate_public", "status_sentence", "verification_record"]


def _digests(session: Session, certificate_id: int) -> list[RunDigest]:
    query = (
        select(Run.id, Run.hdf5_sha256)
        .join(CertificateRun, col(CertificateRun.run_id) == col(Run.id))
        .where(CertificateRun.certificate_id == certificate_id)
        .order_by(col(Run.id))
    )
    return [RunDigest(run=run_id or 0, hdf5_sha256=digest or "") for run_id, digest in session.exec(query).all()]


def _neighbours(session: Session, certificate: Certificate) -> tuple[str | None, str | None]:
    """The number it replaces and the number that superseded it."""
    replaces = session.get(Certificate, certificate.replaces_id) if certificate.replaces_id else None
    newer = session.exec(select(Certificate.number).where(Certificate.replaces_id == certificate.id)).first()
    return (replaces.number if replaces else None), newer


def certificate_public(session: Session, certificate: Certificate, settings: Settings) -> CertificatePublic:
    """A certificate's register entry: status, dates, who issued it, its runs and digests."""
    booking = session.get(Booking, certificate.booking_id)
    assert booking is not None  # noqa: S101 - foreign keys guarantee these
    method = session.get(TestMethod, booking.method_id)
    issuer = session.get(User, certificate.issued_by_id)
    assert method is not None  # noqa: S101
    assert issuer is not None  # noqa: S101
    replaces, superseded_by = _neighbours(session, certificate)
    return CertificatePublic.model_validate(
        certificate,
        update={
            "booking": certificate.booking_id,
            "company": booking.company_id,
            "method_code": method.code,
            "issued_on": certificate.issued_at.astimezone(settings.zone).date(),
            "issued_by": issuer.name,
            "replaces": replaces,
            "superseded_by": superseded_by,
            "runs": _digests(session, certificate.id or 0),
            "verification_url": verification_url(settings, certificate.number),
        },
    )


def status_sentence(record: VerificationPublic) -> str:
    """The certificate's standing in one sentence, for people."""
    if record.status == CertificateStatus.REVOKED:
        return f"Certificate {record.number} was REVOKED on {record.revoked_on}: {record.revoked_reason}"
    if record.status == CertificateStatus.SUPERSEDED:
        return f"Certificate {record.number} was SUPERSEDED by {record.superseded_by}: rely on that one instead."
    return f"Certificate {record.number} was issued by the lab on {record.issued_on} and stands."


def verification_record(*, session: Session, number: str, settings: Settings) -> VerificationPublic:
    """What the public verification page states about a certificate number.

    Raises:
        NotFound: the lab issued no certificate with this number.
    """
    row = session.exec(
        select(Certificate, Booking, Company, TestMethod)
        .join(Booking, col(Booking.id) == col(Certificate.booking_id))
        .join(Company, col(Company.id) == col(Booking.company_id))
        .join(TestMethod, col(TestMethod.id) == col(Booking.method_id))
        .where(Certificate.number == number)
    ).first()
    if row is None:
        raise NotFound(f"the lab issued no certificate numbered {number}")
    certificate, booking, company, method = row
    replaces, superseded_by = _neighbours(session, certificate)
    record = VerificationPublic(
        number=certificate.number,
        status=certificate.status,
        issued_on=certificate.issued_at.astimezone(settings.zone).date(),
        applicant=str(booking.applicant.get("name") or company.name),
        method_code=method.code,
        method_title=method.title,
        pdf_sha256=certificate.pdf_sha256,
        runs=_digests(session, certificate.id or 0),
        replaces=replaces,
        superseded_by=superseded_by,
        revoked_on=certificate.revoked_at.astimezone(settings.zone).date() if certificate.revoked_at else None,
        revoked_reason=certificate.revoked_reason,
        message="",
    )
    record.message = status_sentence(record)
    return record

"""Certificates as the API shows them: the register entry, and what the public verification page states to
whoever gives the number with its verification code."""

from __future__ import annotations

import hmac
from dataclasses import asdict, dataclass

from sqlmodel import Session, col, select

from labsys.bookings.models import Booking
from labsys.certificates.codes import codes_match, format_code, new_verification_code
from labsys.certificates.models import Certificate, CertificatePublic, CertificateRun, CertificateStatus, RunDigest
from labsys.certificates.queries import current_certificate, replaced_by
from labsys.certificates.report import verification_url
from labsys.certificates.schemas import VerificationPublic
from labsys.companies.models import Company, User
from labsys.errors import NotFound
from labsys.methods.models import TestMethod
from labsys.runs.models import Run
from labsys.settings import Settings

__all__ = ["NO_SUCH_CERTIFICATE", "certificate_public", "record_of_document", "status_sentence", "verification_record"]

#: What the verification page answers to a number without its code, with a wrong code, or to an unknown number:
#: the same words for all three, so that nobody learns which numbers exist.
NO_SUCH_CERTIFICATE = "no certificate with this number and code: check both as printed at the top of the report"


def _digests(session: Session, certificate_id: int) -> list[RunDigest]:
    query = (
        select(Run.id, Run.hdf5_sha256)
        .join(CertificateRun, col(CertificateRun.run_id) == col(Run.id))
        .where(CertificateRun.certificate_id == certificate_id)
        .order_by(col(Run.id))
    )
    return [RunDigest(run=run_id or 0, hdf5_sha256=digest or "") for run_id, digest in session.exec(query).all()]


@dataclass(frozen=True)
class _Neighbours:
    """The number a certificate replaces, the number that replaced it, and its booking's certificate that stands
    now (itself, if it stands)."""

    replaces: str | None
    superseded_by: str | None
    current: str | None


def _neighbours(session: Session, certificate: Certificate) -> _Neighbours:
    replaces = session.get(Certificate, certificate.replaces_id) if certificate.replaces_id else None
    return _Neighbours(
        replaces=replaces.number if replaces else None,
        superseded_by=replaced_by(session, certificate),
        current=current_certificate(session, certificate.booking_id),
    )


def certificate_public(session: Session, certificate: Certificate, settings: Settings) -> CertificatePublic:
    """A certificate's register entry: status, dates, who issued it, its runs and digests."""
    booking = session.get(Booking, certificate.booking_id)
    assert booking is not None  # noqa: S101 - foreign keys guarantee these
    method = session.get(TestMethod, booking.method_id)
    issuer = session.get(User, certificate.issued_by_id)
    assert method is not None  # noqa: S101
    assert issuer is not None  # noqa: S101
    return CertificatePublic.model_validate(
        certificate,
        update={
            "booking": certificate.booking_id,
            "company": booking.company_id,
            "method_code": method.code,
            "issued_on": certificate.issued_at.astimezone(settings.zone).date(),
            "issued_by": issuer.name,
            **asdict(_neighbours(session, certificate)),
            "runs": _digests(session, certificate.id or 0),
            "verification_code": format_code(certificate.verification_code),
            "verification_url": verification_url(settings, certificate.number, certificate.verification_code),
        },
    )


def _what_stands_now(record: VerificationPublic) -> str:
    if record.current is None:
        return "No certificate of this test stands now."
    return f"The certificate that stands now is {record.current}: rely on that one."


def status_sentence(record: VerificationPublic) -> str:
    """The certificate's standing in a sentence or two, for people; one that no longer stands names the
    certificate of the same test that does, or says that none does."""
    if record.status == CertificateStatus.REVOKED:
        revoked = f"Certificate {record.number} was REVOKED on {record.revoked_on}: {record.revoked_reason}"
        return f"{revoked.rstrip('.')}. {_what_stands_now(record)}"
    if record.status == CertificateStatus.SUPERSEDED:
        return f"Certificate {record.number} was SUPERSEDED by {record.superseded_by}. {_what_stands_now(record)}"
    return f"Certificate {record.number} was issued by the lab on {record.issued_on} and stands."


#: Compared with a typed code when the number is unknown, so that an unknown number takes as long as a known one.
_NOBODYS_CODE = new_verification_code()

_Row = tuple[Certificate, Booking, Company, TestMethod]


def _find(session: Session, number: str) -> _Row | None:
    query = (
        select(Certificate, Booking, Company, TestMethod)
        .join(Booking, col(Booking.id) == col(Certificate.booking_id))
        .join(Company, col(Company.id) == col(Booking.company_id))
        .join(TestMethod, col(TestMethod.id) == col(Booking.method_id))
        .where(Certificate.number == number)
    )
    return session.exec(query).first()


def _record(session: Session, row: _Row, settings: Settings) -> VerificationPublic:
    certificate, booking, company, method = row
    neighbours = _neighbours(session, certificate)
    record = VerificationPublic(
        number=certificate.number,
        status=certificate.status,
        issued_on=certificate.issued_at.astimezone(settings.zone).date(),
        applicant=str(booking.applicant.get("name") or company.name),
        method_code=method.code,
        method_title=method.title,
        pdf_sha256=certificate.pdf_sha256,
        runs=_digests(session, certificate.id or 0),
        replaces=neighbours.replaces,
        superseded_by=neighbours.superseded_by,
        current=neighbours.current,
        revoked_on=certificate.revoked_at.astimezone(settings.zone).date() if certificate.revoked_at else None,
        revoked_reason=certificate.revoked_reason,
        message="",
    )
    record.message = status_sentence(record)
    return record


def verification_record(*, session: Session, number: str, code: str, settings: Settings) -> VerificationPublic:
    """What the public verification page states about a certificate, to whoever gives its number and code.

    Raises:
        NotFound: :data:`NO_SUCH_CERTIFICATE`, alike for an unknown number and for a known one with a missing or
            wrong code.
    """
    row = _find(session, number)
    if not codes_match(row[0].verification_code if row else _NOBODYS_CODE, code) or row is None:
        raise NotFound(NO_SUCH_CERTIFICATE)
    return _record(session, row, settings)


def record_of_document(*, session: Session, number: str, sha256: str, settings: Settings) -> VerificationPublic | None:
    """What the verification page states about a certificate, to whoever holds its issued PDF (``sha256``, the
    digest of the file they uploaded); None when the number is unknown or the file is not the one issued."""
    row = _find(session, number)
    issued = row[0].pdf_sha256 if row else ""
    if row is None or not hmac.compare_digest(issued.encode(), sha256.encode()):
        return None
    return _record(session, row, settings)

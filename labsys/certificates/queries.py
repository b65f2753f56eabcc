"""Reading certificates: one, a list, and the runs a certificate reports; a customer sees only its own."""

from __future__ import annotations

from sqlmodel import Session, col, select

from labsys.bookings.models import Booking
from labsys.certificates.models import Certificate, CertificateRun, CertificateStatus
from labsys.errors import Conflict, NotFound
from labsys.runs.models import Run

__all__ = [
    "certificate_runs",
    "current_certificate",
    "get_certificate",
    "latest_certificate",
    "list_certificates",
    "replaced_by",
    "standing_certificate",
]


def get_certificate(*, session: Session, number: str, company_id: int | None) -> Certificate:
    """The certificate, if the caller may see it (``company_id`` None: staff, who see every company's).

    Raises:
        NotFound: no such certificate, or it is another company's.
    """
    query = select(Certificate).where(Certificate.number == number)
    if company_id is not None:
        query = query.join(Booking, col(Booking.id) == col(Certificate.booking_id)).where(
            Booking.company_id == company_id
        )
    certificate = session.exec(query).first()
    if certificate is None:
        raise NotFound(f"certificate {number} not found")
    return certificate


def list_certificates(*, session: Session, company_id: int | None, booking_id: int | None = None) -> list[Certificate]:
    """The certificates the caller may see, newest first (of one booking, if given)."""
    query = select(Certificate).order_by(col(Certificate.issued_at).desc(), col(Certificate.id).desc())
    if booking_id is not None:
        query = query.where(Certificate.booking_id == booking_id)
    if company_id is not None:
        query = query.join(Booking, col(Booking.id) == col(Certificate.booking_id)).where(
            Booking.company_id == company_id
        )
    return list(session.exec(query).all())


def certificate_runs(session: Session, certificate: Certificate) -> list[Run]:
    """The runs a certificate reports, by id."""
    query = (
        select(Run)
        .join(CertificateRun, col(CertificateRun.run_id) == col(Run.id))
        .where(CertificateRun.certificate_id == certificate.id)
        .order_by(col(Run.id))
    )
    return list(session.exec(query).all())


def replaced_by(session: Session, certificate: Certificate) -> str | None:
    """The number of the certificate that replaced this one (an amendment, or a reissue after it was revoked)."""
    return session.exec(select(Certificate.number).where(Certificate.replaces_id == certificate.id)).first()


def latest_certificate(session: Session, booking_id: int) -> Certificate | None:
    """The booking's most recently issued certificate, whatever its status."""
    query = select(Certificate).where(Certificate.booking_id == booking_id).order_by(col(Certificate.id).desc())
    return session.exec(query).first()


def current_certificate(session: Session, booking_id: int) -> str | None:
    """The number of the booking's certificate that stands now, or None when none does (all were superseded or
    revoked, or none was issued)."""
    query = (
        select(Certificate.number)
        .where(Certificate.booking_id == booking_id, Certificate.status == CertificateStatus.ISSUED)
        .order_by(col(Certificate.id).desc())
    )
    return session.exec(query).first()


def standing_certificate(session: Session, number: str, doing: str) -> Certificate:
    """The certificate, which must stand for it to be ``doing`` (``"amended"``, ``"revoked"``).

    Raises:
        NotFound: no such certificate.
        Conflict: it is superseded or revoked; the detail names the booking's certificate that stands now, if any.
    """
    certificate = session.exec(select(Certificate).where(Certificate.number == number)).first()
    if certificate is None:
        raise NotFound(f"certificate {number} not found")
    if certificate.status != CertificateStatus.ISSUED:
        current = current_certificate(session, certificate.booking_id)
        hint = f"; the certificate that stands now is {current}" if current else ""
        msg = f"certificate {number} is {certificate.status.value}: only a standing certificate can be {doing}{hint}"
        raise Conflict(msg, status=certificate.status.value)
    return certificate

"""Reading certificates: one, a list, and the runs a certificate reports; a customer sees only its own."""

from __future__ import annotations

from sqlmodel import Session, col, select

from labsys.bookings.models import Booking
from labsys.certificates.models import Certificate, CertificateRun
from labsys.errors import NotFound
from labsys.runs.models import Run

__all__ = ["certificate_runs", "get_certificate", "list_certificates"]


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

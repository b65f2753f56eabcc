"""Revoking a certificate: the document stays, the reason is recorded, and its booking goes back to review.

A revoked certificate leaves its booking without a valid report. The booking therefore returns to ``in_review``
(from ``reported``, or from ``closed``), where, as after any submission, a reviewer may issue a corrected
certificate (the revoked one's next revision, :mod:`labsys.certificates.issuing`), send the runs back to testing,
or an engineer may start a new run if the run was the problem.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from labsys.audit import Actor, record
from labsys.bookings import lifecycle
from labsys.certificates.models import Certificate, CertificateStatus, certificate_snapshot
from labsys.certificates.queries import standing_certificate
from labsys.certificates.review import check_reviewer, get_booking
from labsys.companies.models import User
from labsys.methods.models import TestMethod

__all__ = ["revoke"]


def revoke(session: Session, *, number: str, reason: str, reviewer: User, actor: Actor, now: datetime) -> Certificate:
    """Withdraw a standing certificate; its document stays downloadable and the reason is recorded, and its booking
    returns to review (``booking.in_review`` in the audit trail, naming the certificate and the reason).

    Raises:
        NotFound: no such certificate.
        PermissionDenied: not a reviewer qualified for the method.
        Conflict: it is already superseded or revoked.
    """
    certificate = standing_certificate(session, number, "revoked")
    booking = get_booking(session, certificate.booking_id)
    method = session.get(TestMethod, booking.method_id)
    assert method is not None  # noqa: S101 - a foreign key guarantees it
    check_reviewer(reviewer, method)
    before = certificate_snapshot(certificate)
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now
    certificate.revoked_reason = reason
    session.add(certificate)
    session.flush()
    record(
        session, actor=actor, action="certificate.revoked", entity_type="certificate", entity_id=number,
        before=before, after=certificate_snapshot(certificate),
    )  # fmt: skip
    if booking.status in lifecycle.REOPENED_BY_REVOCATION:
        lifecycle.reopen_for_review(session, booking, actor=actor, revoked=number, reason=reason)
    return certificate

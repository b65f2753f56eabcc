"""Issuing, amending and revoking certificates, and finding them.

Issuing renders the report, signs it with the lab's key (PAdES), stores the PDF under
``<data_dir>/certificates/<number>.pdf`` and records its SHA-256, all in the caller's transaction: if anything
fails, or the transaction does not commit, neither the row nor the file remains.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from labsys.audit import Actor, record
from labsys.bookings.models import Booking, BookingStatus
from labsys.certificates.keys import load_lab_signer
from labsys.certificates.models import Certificate, CertificateRun, CertificateStatus
from labsys.certificates.numbering import amendment_number, next_number
from labsys.certificates.queries import certificate_runs
from labsys.certificates.report import ReportSubject, build_report
from labsys.certificates.review import check_reviewer, get_booking, reported_runs, set_booking_status
from labsys.certificates.storage import certificate_pdf_path, store_pdf_with_transaction
from labsys.companies.models import Company, User
from labsys.db.types import utcnow
from labsys.errors import Conflict, NotFound
from labsys.methods.models import TestMethod
from labsys.settings import Settings
from results.certificates import Amendment, render_report, sha256_bytes, sign_pdf

__all__ = [
    "amend_certificate",
    "issue_certificate",
    "revoke_certificate",
]

#: Attempts at a fresh number when another reviewer took the same one at the same moment.
_NUMBER_ATTEMPTS = 5


def _subject(session: Session, booking: Booking, run_ids: Sequence[int], reviewer: User) -> ReportSubject:
    method = session.get(TestMethod, booking.method_id)
    company = session.get(Company, booking.company_id)
    assert method is not None  # noqa: S101 - foreign keys guarantee both
    assert company is not None  # noqa: S101
    check_reviewer(reviewer, method)
    runs = reported_runs(session, booking, run_ids, reviewer)
    return ReportSubject(booking=booking, method=method, company=company, runs=runs)


def _reserve(session: Session, certificate: Certificate, settings: Settings, *, fixed_number: bool) -> None:
    """Insert the certificate under a free number (an amendment's number is fixed: it gets one attempt).

    Raises:
        Conflict: the number was taken by a certificate issued at the same moment, every attempt.
    """
    for attempt in range(_NUMBER_ATTEMPTS):
        if not fixed_number:
            year = certificate.issued_at.astimezone(settings.zone).year
            certificate.number = next_number(session, prefix=settings.certificate_prefix, year=year)
        try:
            with session.begin_nested():  # a refused insert rolls back to here; the transaction goes on
                session.add(certificate)
                session.flush()
        except IntegrityError as exc:
            if fixed_number or attempt == _NUMBER_ATTEMPTS - 1:
                msg = f"certificate number {certificate.number} was just taken by another certificate; try again"
                raise Conflict(msg, number=certificate.number) from exc
            continue
        return


def _issue(
    session: Session,
    *,
    settings: Settings,
    subject: ReportSubject,
    reviewer: User,
    actor: Actor,
    issued_at: datetime,
    replaces: Certificate | None = None,
    reason: str = "",
) -> Certificate:
    """Number, render, sign, store and record a certificate of ``subject``; the shared path of issue and amend."""
    signer, _ = load_lab_signer(settings)  # before anything is written: a missing key changes nothing
    certificate = Certificate(
        number=amendment_number(replaces.number) if replaces else "",
        booking_id=subject.booking.id or 0,
        issued_by_id=reviewer.id or 0,
        issued_at=issued_at,
        replaces_id=replaces.id if replaces else None,
        amendment_reason=reason,
        pdf_path="",
        pdf_sha256="",
    )
    _reserve(session, certificate, settings, fixed_number=replaces is not None)
    amendment = Amendment(replaces.number, reason) if replaces else None
    try:
        data = build_report(
            session,
            subject=subject,
            number=certificate.number,
            reviewer=reviewer,
            issued_at=issued_at,
            settings=settings,
            amendment=amendment,
        )
    except ValueError as exc:  # the report's own consistency rules (dates in order, tester is not approver)
        raise Conflict(f"the report cannot be issued: {exc}") from exc
    signed = sign_pdf(render_report(data), signer)
    path = certificate_pdf_path(settings.data_dir, certificate.number)
    certificate.pdf_path = str(path.relative_to(settings.data_dir))
    certificate.pdf_sha256 = sha256_bytes(signed)
    session.add(certificate)
    for run in subject.runs:
        session.add(CertificateRun(certificate_id=certificate.id or 0, run_id=run.id or 0))
    session.flush()
    store_pdf_with_transaction(session, path, signed)
    record(
        session,
        actor=actor,
        action="certificate.issued",
        entity_type="certificate",
        entity_id=certificate.number,
        after={
            **certificate.model_dump(include={"number", "booking_id", "issued_by_id", "pdf_sha256"}),
            "replaces": replaces.number if replaces else None,
            "runs": [r.id for r in subject.runs],
        },
    )
    return certificate


def issue_certificate(
    *,
    session: Session,
    settings: Settings,
    booking_id: int,
    run_ids: Sequence[int],
    reviewer: User,
    actor: Actor,
    now: datetime | None = None,
) -> Certificate:
    """Approve a booking under review by issuing its signed certificate (booking ``in_review → reported``).

    Args:
        session: The caller's transaction; the certificate, its PDF and the booking step commit with it.
        settings: Lab details, data folder, key files, public URL.
        booking_id: The booking, which must be in review.
        run_ids: Its completed runs that the report states.
        reviewer: The approving reviewer: qualified for the method, and ran none of the runs.
        actor: Who the audit trail names.
        now: The issue time (aware UTC); default now.

    Raises:
        NotFound: no such booking.
        PermissionDenied: not a qualified reviewer, or the reviewer ran one of the runs (the detail says which).
        InvalidInput: no runs, or a run of another booking.
        Conflict: the booking is not in review, or a run did not complete or has no data digest.
        ConfigurationError: the lab's signing keys are missing (production) or unusable.
    """
    booking = get_booking(session, booking_id)
    subject = _subject(session, booking, run_ids, reviewer)
    if booking.status != BookingStatus.IN_REVIEW:
        msg = f"booking {booking_id} is {booking.status.value}: a certificate is issued for a booking in review"
        raise Conflict(msg, status=booking.status.value)
    certificate = _issue(
        session, settings=settings, subject=subject, reviewer=reviewer, actor=actor, issued_at=now or utcnow()
    )
    set_booking_status(
        session,
        booking,
        BookingStatus.REPORTED,
        allowed_from=BookingStatus.IN_REVIEW,
        actor=actor,
        certificate=certificate.number,
    )
    return certificate


def _standing(session: Session, number: str, doing: str) -> Certificate:
    certificate = session.exec(select(Certificate).where(Certificate.number == number).with_for_update()).first()
    if certificate is None:
        raise NotFound(f"certificate {number} not found")
    if certificate.status != CertificateStatus.ISSUED:
        newer = _superseded_by(session, certificate)
        hint = f"; its current revision is {newer}" if newer else ""
        msg = f"certificate {number} is {certificate.status.value}: only a standing certificate can be {doing}{hint}"
        raise Conflict(msg, status=certificate.status.value)
    return certificate


def _superseded_by(session: Session, certificate: Certificate) -> str | None:
    query = select(Certificate.number).where(Certificate.replaces_id == certificate.id)
    return session.exec(query).first()


def amend_certificate(
    *,
    session: Session,
    settings: Settings,
    number: str,
    reason: str,
    reviewer: User,
    actor: Actor,
    run_ids: Sequence[int] | None = None,
    now: datetime | None = None,
) -> Certificate:
    """Issue an amendment (``<original>-R<n>``) that names and supersedes a standing certificate.

    Args:
        number: The certificate amended; it must be ``issued`` (not superseded or revoked).
        reason: Why; printed on the amendment.
        run_ids: The runs the amendment states; default the same as the amended certificate's.
        session, settings, reviewer, actor, now: as for :func:`issue_certificate`.

    Raises:
        NotFound: no such certificate.
        Conflict: it is superseded or revoked, or a run cannot be reported.
        PermissionDenied, InvalidInput, ConfigurationError: as for :func:`issue_certificate`.
    """
    old = _standing(session, number, "amended")
    booking = get_booking(session, old.booking_id)
    subject = _subject(session, booking, run_ids or [r.id or 0 for r in certificate_runs(session, old)], reviewer)
    before = {"status": old.status}
    old.status = CertificateStatus.SUPERSEDED
    session.add(old)
    certificate = _issue(
        session,
        settings=settings,
        subject=subject,
        reviewer=reviewer,
        actor=actor,
        issued_at=now or utcnow(),
        replaces=old,
        reason=reason,
    )
    record(
        session,
        actor=actor,
        action="certificate.superseded",
        entity_type="certificate",
        entity_id=old.number,
        before=before,
        after={"status": old.status, "superseded_by": certificate.number, "reason": reason},
    )
    return certificate


def revoke_certificate(
    *, session: Session, number: str, reason: str, reviewer: User, actor: Actor, now: datetime | None = None
) -> Certificate:
    """Withdraw a standing certificate; its document stays downloadable and the reason is recorded.

    Raises:
        NotFound: no such certificate.
        PermissionDenied: not a reviewer qualified for the method.
        Conflict: it is already superseded or revoked.
    """
    certificate = _standing(session, number, "revoked")
    booking = get_booking(session, certificate.booking_id)
    method = session.get(TestMethod, booking.method_id)
    assert method is not None  # noqa: S101 - a foreign key guarantees it
    check_reviewer(reviewer, method)
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now or utcnow()
    certificate.revoked_reason = reason
    session.add(certificate)
    session.flush()
    record(
        session,
        actor=actor,
        action="certificate.revoked",
        entity_type="certificate",
        entity_id=number,
        before={"status": CertificateStatus.ISSUED},
        after={"status": certificate.status, "reason": reason},
    )
    return certificate

"""Issuing and amending certificates, in two steps around the slow work.

A draft is read in one transaction: the checks (a qualified reviewer who ran none of the runs, a booking in
review, completed runs with their digests), the report's number, its verification code and everything it prints.
The report is then rendered and signed outside any transaction. Recording it is a second, short write transaction
that checks again what may have changed meanwhile (the booking's status, the certificate amended still standing,
the number still free), stores the PDF and appends to the audit trail; if the transaction does not commit, the
file goes too.

A booking whose certificate was revoked is back in review (:mod:`labsys.certificates.revocation`); the certificate
issued for it then is the revoked one's next revision (``…-R2`` after ``…-R1``) and names it as the report it
replaces (ISO/IEC 17025 7.8.8.3), with the revocation's reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from labsys.audit import Actor, record
from labsys.bookings.lifecycle import REOPENED_BY_REVOCATION
from labsys.bookings.models import Booking, BookingStatus
from labsys.certificates.codes import new_verification_code
from labsys.certificates.models import Certificate, CertificateRun, CertificateStatus, certificate_snapshot
from labsys.certificates.numbering import amendment_number, next_number
from labsys.certificates.overlays import run_overlays
from labsys.certificates.queries import certificate_runs, latest_certificate, standing_certificate
from labsys.certificates.report import ReportSubject, build_report, run_files
from labsys.certificates.review import check_reviewer, get_booking, reported_runs, set_booking_status
from labsys.certificates.storage import certificate_pdf_path, store_pdf_with_transaction
from labsys.companies.models import Company, User
from labsys.errors import Conflict
from labsys.methods.models import TestMethod
from labsys.settings import Settings
from results.certificates import Amendment, PlotLine, ReportData, sha256_bytes

__all__ = ["NumberTaken", "ReportDraft", "draft_amendment", "draft_certificate", "record_certificate"]


class NumberTaken(Conflict):
    """Another certificate took the draft's number while it was being signed: draft again."""


@dataclass(frozen=True)
class ReportDraft:
    """A certificate ready to be signed and recorded: what it reports, its number and verification code, and the
    report itself. ``replaces`` names the certificate it replaces: a standing one it supersedes (``amends``), or
    the booking's revoked one."""

    booking_id: int
    run_ids: tuple[int, ...]
    reviewer_id: int
    number: str
    verification_code: str
    issued_at: datetime
    report: ReportData
    run_files: dict[str, Path]
    overlays: dict[str, tuple[PlotLine, ...]] = field(default_factory=dict)
    replaces: str | None = None
    amends: bool = False
    reason: str = ""


def _subject(session: Session, booking: Booking, run_ids: Sequence[int], reviewer: User) -> ReportSubject:
    method = session.get(TestMethod, booking.method_id)
    company = session.get(Company, booking.company_id)
    assert method is not None  # noqa: S101 - foreign keys guarantee both
    assert company is not None  # noqa: S101
    check_reviewer(reviewer, method)
    runs = reported_runs(session, booking, run_ids, reviewer)
    return ReportSubject(booking=booking, method=method, company=company, runs=runs)


def _ensure_in_review(booking: Booking) -> None:
    if booking.status == BookingStatus.IN_REVIEW:
        return
    msg = f"booking {booking.id} is {booking.status.value}: a certificate is issued for a booking in review"
    if booking.status in REOPENED_BY_REVOCATION:
        msg += "; its certificate stands: amend it to correct it, or revoke it to return the booking to review"
    raise Conflict(msg, status=booking.status.value)


def _draft(
    session: Session,
    subject: ReportSubject,
    reviewer: User,
    *,
    number: str,
    issued_at: datetime,
    settings: Settings,
    replaces: str | None = None,
    amends: bool = False,
    reason: str = "",
) -> ReportDraft:
    amendment = Amendment(replaces, reason) if replaces else None
    code = new_verification_code()
    try:
        report = build_report(
            session, subject=subject, number=number, verification_code=code, reviewer=reviewer, issued_at=issued_at,
            settings=settings, amendment=amendment,
        )  # fmt: skip
    except ValueError as exc:  # the report's own consistency rules (dates in order, tester is not approver)
        raise Conflict(f"the report cannot be issued: {exc}") from exc
    return ReportDraft(
        booking_id=subject.booking.id or 0,
        run_ids=tuple(r.id or 0 for r in subject.runs),
        reviewer_id=reviewer.id or 0,
        number=number,
        verification_code=code,
        issued_at=issued_at,
        report=report,
        run_files=run_files(subject.runs, settings.data_dir),
        overlays={str(run.id): run_overlays(run) for run in subject.runs},
        replaces=replaces,
        amends=amends,
        reason=reason,
    )


def draft_certificate(
    session: Session, *, booking_id: int, run_ids: Sequence[int], reviewer: User, settings: Settings, now: datetime
) -> ReportDraft:
    """The draft of the certificate that approves a booking in review: under the next free number, or, when the
    booking's last certificate was revoked, as that one's next revision, naming it and why it was revoked.

    Raises:
        NotFound: no such booking.
        PermissionDenied: not a qualified reviewer, or the reviewer ran one of the runs (the detail says which).
        InvalidInput: no runs, or a run of another booking.
        Conflict: the booking is not in review, or a run did not complete or has no data digest.
    """
    booking = get_booking(session, booking_id)
    subject = _subject(session, booking, run_ids, reviewer)
    _ensure_in_review(booking)
    revoked = _revoked_before(session, booking)
    if revoked is not None:
        return _draft(
            session, subject, reviewer, number=amendment_number(revoked.number), issued_at=now, settings=settings,
            replaces=revoked.number, reason=revoked.revoked_reason,
        )  # fmt: skip
    number = next_number(session, prefix=settings.certificate_prefix, year=now.astimezone(settings.zone).year)
    return _draft(session, subject, reviewer, number=number, issued_at=now, settings=settings)


def _revoked_before(session: Session, booking: Booking) -> Certificate | None:
    """The booking's last certificate if it was revoked: the one a new certificate replaces."""
    latest = latest_certificate(session, booking.id or 0)
    return latest if latest is not None and latest.status == CertificateStatus.REVOKED else None


def draft_amendment(
    session: Session,
    *,
    number: str,
    reason: str,
    run_ids: Sequence[int] | None,
    reviewer: User,
    settings: Settings,
    now: datetime,
) -> ReportDraft:
    """The draft of an amendment (``<original>-R<n>``) that names and supersedes a standing certificate.

    Raises:
        NotFound: no such certificate.
        Conflict: it is superseded or revoked, or a run cannot be reported.
        PermissionDenied, InvalidInput: as for :func:`draft_certificate`.
    """
    old = standing_certificate(session, number, "amended")
    booking = get_booking(session, old.booking_id)
    subject = _subject(session, booking, run_ids or [r.id or 0 for r in certificate_runs(session, old)], reviewer)
    return _draft(
        session, subject, reviewer, number=amendment_number(number), issued_at=now, settings=settings,
        replaces=number, amends=True, reason=reason,
    )  # fmt: skip


def record_certificate(
    session: Session, *, draft: ReportDraft, signed_pdf: bytes, settings: Settings, actor: Actor
) -> Certificate:
    """Record a signed draft: the certificate, its runs, its PDF on disk and the audit events; a certificate
    that approves a booking in review moves it to ``reported``, an amendment supersedes the certificate it replaces.

    Raises:
        NumberTaken: an original's number was taken since the draft was read.
        Conflict: the booking left review, or the certificate amended no longer stands (or the number of an
            amendment or a reissue was taken).
    """
    booking = get_booking(session, draft.booking_id)
    reviewer = session.get(User, draft.reviewer_id)
    method = session.get(TestMethod, booking.method_id)
    assert reviewer is not None  # noqa: S101 - foreign keys guarantee both
    assert method is not None  # noqa: S101
    check_reviewer(reviewer, method)  # qualifications may have changed while the report was signed
    old = _replaced(session, booking, draft)
    if session.exec(select(Certificate.id).where(Certificate.number == draft.number)).first() is not None:
        msg = f"certificate number {draft.number} was just taken by another certificate; try again"
        raise (NumberTaken if old is None else Conflict)(msg, number=draft.number)
    path = certificate_pdf_path(settings.data_dir, draft.number)
    certificate = Certificate(
        number=draft.number,
        booking_id=draft.booking_id,
        issued_by_id=draft.reviewer_id,
        issued_at=draft.issued_at,
        replaces_id=old.id if old else None,
        amendment_reason=draft.reason,
        pdf_path=str(path.relative_to(settings.data_dir)),
        pdf_sha256=sha256_bytes(signed_pdf),
        verification_code=draft.verification_code,
    )
    session.add(certificate)
    session.flush()
    session.add_all([CertificateRun(certificate_id=certificate.id or 0, run_id=run_id) for run_id in draft.run_ids])
    store_pdf_with_transaction(session, path, signed_pdf)
    after = {**certificate_snapshot(certificate), "replaces": draft.replaces, "runs": list(draft.run_ids)}
    record(
        session,
        actor=actor,
        action="certificate.issued",
        entity_type="certificate",
        entity_id=draft.number,
        after=after,
    )
    if old is not None and draft.amends:
        _supersede(session, old, certificate.number, draft.reason, actor)
    else:
        set_booking_status(
            session, booking, BookingStatus.REPORTED, allowed_from=BookingStatus.IN_REVIEW, actor=actor,
            certificate=certificate.number,
        )  # fmt: skip
    return certificate


def _replaced(session: Session, booking: Booking, draft: ReportDraft) -> Certificate | None:
    """The certificate the draft replaces, checked again: an amended one still stands; a booking approved (its
    first certificate, or one after a revocation) is still in review."""
    if draft.amends and draft.replaces:
        return standing_certificate(session, draft.replaces, "amended")
    _ensure_in_review(booking)
    if draft.replaces is None:
        return None
    return session.exec(select(Certificate).where(Certificate.number == draft.replaces)).one()


def _supersede(session: Session, old: Certificate, by_number: str, reason: str, actor: Actor) -> None:
    before = certificate_snapshot(old)
    old.status = CertificateStatus.SUPERSEDED
    session.add(old)
    session.flush()
    after = {**certificate_snapshot(old), "superseded_by": by_number, "reason": reason}
    record(
        session,
        actor=actor,
        action="certificate.superseded",
        entity_type="certificate",
        entity_id=old.number,
        before=before,
        after=after,
    )

"""The certificate and review services: what the API asks of reviews, certificates and their verification.

Rendering, signing and checking PDFs, and reading run files for plots, happen outside any transaction (see
:mod:`labsys.certificates.issuing`); a call's transactions hold only reads and the short writes that record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from labsys.certificates import issuing, review, revocation
from labsys.certificates.keys import lab_key_paths, load_lab_signer
from labsys.certificates.models import CertificateCreate, CertificatePublic, CertificatesPublic
from labsys.certificates.queries import get_certificate, list_certificates
from labsys.certificates.report import with_plots
from labsys.certificates.schemas import DocumentCheckPublic, ReviewPublic, ReviewQueuePublic, VerificationPublic
from labsys.certificates.storage import stored_pdf
from labsys.certificates.verification import document_check
from labsys.certificates.views import certificate_public, record_of_document, verification_record
from labsys.companies.accounts import Account
from labsys.companies.service import get_user
from labsys.db import Database, utcnow
from labsys.errors import Conflict
from labsys.settings import Settings
from results.certificates import check_signature, render_report, sha256_bytes, sign_pdf

__all__ = ["CertificateService", "ReviewService", "StoredPdf"]

#: Drafts made again when another reviewer took the number while this one was being signed.
_NUMBER_ATTEMPTS = 5


class ReviewService:
    """Review by a second person: an engineer submits a booking's runs, a qualified reviewer sends them back."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def submit(self, booking_id: int, *, by: Account) -> ReviewPublic:
        """Submit a booking's completed runs for review (see :func:`~labsys.certificates.review.submit_for_review`)."""
        with self._db.writing() as session:
            engineer = get_user(session, by.id)
            booking = review.submit_for_review(
                session=session, booking_id=booking_id, engineer=engineer, actor=by.actor
            )
            return review.describe_review(session, booking)

    def queue(self) -> ReviewQueuePublic:
        """The bookings waiting for a reviewer, the longest waiting first (see
        :func:`~labsys.certificates.review.review_queue`)."""
        with self._db.reading() as session:
            waiting = review.review_queue(session)
        return ReviewQueuePublic(data=waiting, count=len(waiting))

    def send_back(self, booking_id: int, reason: str, *, by: Account) -> ReviewPublic:
        """Send the runs back to testing, with the reason (see :func:`~labsys.certificates.review.send_back`)."""
        with self._db.writing() as session:
            reviewer = get_user(session, by.id)
            booking = review.send_back(
                session=session, booking_id=booking_id, reason=reason, reviewer=reviewer, actor=by.actor
            )
            return review.describe_review(session, booking, reason=reason)


@dataclass(frozen=True)
class StoredPdf:
    """A certificate's signed PDF on disk, and its SHA-256 as issued."""

    path: Path
    sha256: str


class CertificateService:
    """Issuing, amending, revoking, listing and verifying certificates.

    Args:
        db: the lab's database.
        settings: the lab's details, data folder, key files and public address.
        clock: the current time (aware UTC); tests may fix it.
    """

    def __init__(self, db: Database, settings: Settings, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock

    def issue(self, request: CertificateCreate, *, by: Account) -> CertificatePublic:
        """Approve a booking in review by issuing its signed certificate; the booking becomes ``reported``.

        Raises:
            NotFound: no such booking.
            PermissionDenied: not a qualified reviewer, or the reviewer ran one of the runs.
            InvalidInput: no runs, or a run of another booking.
            Conflict: the booking is not in review, or a run did not complete or has no data digest.
            ConfigurationError: the lab's signing keys are missing (production) or unusable.
        """
        draft = partial(issuing.draft_certificate, booking_id=request.booking, run_ids=request.runs)
        for _ in range(_NUMBER_ATTEMPTS):
            try:
                return self._sign_and_record(draft, by)
            except issuing.NumberTaken:
                continue
        raise Conflict("other certificates kept taking the next number; try again")

    def amend(self, number: str, reason: str, run_ids: Sequence[int] | None, *, by: Account) -> CertificatePublic:
        """Issue an amendment ``<number>-R<n>`` that names and supersedes a standing certificate.

        Raises:
            NotFound: no such certificate.
            Conflict: it no longer stands, or a run cannot be reported.
            PermissionDenied, InvalidInput, ConfigurationError: as for :meth:`issue`.
        """
        draft = partial(issuing.draft_amendment, number=number, reason=reason, run_ids=run_ids)
        return self._sign_and_record(draft, by)

    def _sign_and_record(self, draft_with: Callable[..., issuing.ReportDraft], by: Account) -> CertificatePublic:
        """Draft (a read), render and sign (no transaction), then record (a short write)."""
        signer, _ = load_lab_signer(self._settings)  # before anything is written: a missing key changes nothing
        with self._db.reading() as session:
            reviewer = get_user(session, by.id)
            draft = draft_with(session, reviewer=reviewer, settings=self._settings, now=self._clock())
        signed = sign_pdf(render_report(with_plots(draft.report, draft.run_files, draft.overlays)), signer)
        with self._db.writing() as session:
            certificate = issuing.record_certificate(
                session, draft=draft, signed_pdf=signed, settings=self._settings, actor=by.actor
            )
            return certificate_public(session, certificate, self._settings)

    def revoke(self, number: str, reason: str, *, by: Account) -> CertificatePublic:
        """Withdraw a standing certificate; its booking returns to review (see
        :func:`~labsys.certificates.revocation.revoke`)."""
        with self._db.writing() as session:
            reviewer = get_user(session, by.id)
            certificate = revocation.revoke(
                session, number=number, reason=reason, reviewer=reviewer, actor=by.actor, now=self._clock()
            )
            return certificate_public(session, certificate, self._settings)

    def list_certificates(self, *, viewer: Account, booking_id: int | None = None) -> CertificatesPublic:
        """The certificates the viewer may see, newest first."""
        with self._db.reading() as session:
            found = list_certificates(session=session, company_id=viewer.company_scope, booking_id=booking_id)
            data = [certificate_public(session, c, self._settings) for c in found]
        return CertificatesPublic(data=data, count=len(data))

    def get(self, number: str, *, viewer: Account) -> CertificatePublic:
        """A certificate's register entry.

        Raises:
            NotFound: no such certificate, or another company's.
        """
        with self._db.reading() as session:
            certificate = get_certificate(session=session, number=number, company_id=viewer.company_scope)
            return certificate_public(session, certificate, self._settings)

    def pdf(self, number: str, *, viewer: Account) -> StoredPdf:
        """The signed PDF exactly as issued (superseded and revoked ones too).

        Raises:
            NotFound: no such certificate, another company's, or its file is missing from the data folder.
        """
        with self._db.reading() as session:
            certificate = get_certificate(session=session, number=number, company_id=viewer.company_scope)
        return StoredPdf(stored_pdf(certificate.pdf_path, self._settings.data_dir, number), certificate.pdf_sha256)

    def verification(self, number: str, code: str) -> VerificationPublic:
        """What the public verification page states about a certificate, given its number and verification code
        as printed on it (typed in any case, with or without dashes).

        Raises:
            NotFound: no certificate with this number and code; the same for an unknown number as for a wrong or
                missing code.
        """
        with self._db.reading() as session:
            return verification_record(session=session, number=number, code=code, settings=self._settings)

    def check_document(self, number: str, pdf: bytes) -> DocumentCheckPublic:
        """Whether ``pdf`` is exactly the document the lab issued under ``number``, and its signature holds; the
        issued document also opens the certificate's record. Slow work (pyHanko parses the file): call it off the
        event loop. The signature is checked after the record is read, outside any transaction.

        An unknown number is no error: the file is then simply not the document issued under it.
        """
        uploaded = sha256_bytes(pdf)
        with self._db.reading() as session:
            record = record_of_document(session=session, number=number, sha256=uploaded, settings=self._settings)
        ca = lab_key_paths(self._settings).ca_certificate
        return document_check(number, uploaded, record, check_signature(pdf, [ca] if ca.is_file() else []))

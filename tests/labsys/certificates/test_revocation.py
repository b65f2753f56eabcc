"""Revoking a certificate returns its booking to review, so that a corrected certificate can be issued (or a new
run made); whoever verifies an earlier certificate learns which one stands now, or that none does."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from labsys.audit import SYSTEM, Actor, AuditEvent, verify_chain
from labsys.bookings import steps
from labsys.bookings.models import Booking, BookingStatus, SampleDisposition
from labsys.bookings.schemas import SampleRelease, SampleReleases
from labsys.certificates.models import Certificate, CertificateRun, CertificateStatus
from labsys.certificates.review import submit_for_review
from labsys.certificates.service import ReviewService
from labsys.certificates.views import verification_record
from labsys.companies.accounts import Account
from labsys.db import Database
from labsys.errors import Conflict, RuleViolation
from labsys.settings import Settings
from tests.labsys.certificates.factories import (
    ReviewedBooking,
    amend,
    complete_run,
    issue,
    make_reviewed_booking,
    revoke,
)
from tests.results.certificates.poppler import pdf_pages_text

pytestmark = pytest.mark.integration


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings)


def _booking(session: Session, reviewed: ReviewedBooking) -> Booking:
    session.expire_all()
    booking = session.get(Booking, reviewed.ready.booking.id)
    assert booking is not None
    return booking


def _current(session: Session, settings: Settings, certificate: Certificate) -> str | None:
    session.expire_all()
    record = verification_record(
        session=session, number=certificate.number, code=certificate.verification_code, settings=settings
    )
    return record.current


def test_revoking_returns_the_booking_to_review_and_the_audit_trail_says_why(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    certificate = issue(session, settings, reviewed)
    assert _booking(session, reviewed).status == BookingStatus.REPORTED

    revoke(session, settings, reviewed, certificate.number, reason="the sample was mislabelled")

    assert _booking(session, reviewed).status == BookingStatus.IN_REVIEW
    events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert [e.action for e in events[-2:]] == ["certificate.revoked", "booking.in_review"]
    step = events[-1]
    assert (step.entity_type, step.entity_id) == ("booking", str(reviewed.ready.booking.id))
    assert step.before is not None
    assert step.before["status"] == "reported"
    assert (step.after["status"], step.after["revoked"]) == ("in_review", certificate.number)
    assert step.after["reason"] == "the sample was mislabelled"
    assert all("verification_code" not in (e.after or {}) for e in events)  # the secret stays out of the trail
    assert verify_chain(session)[1] is None


def test_while_its_certificate_stands_a_new_run_or_certificate_is_refused_saying_how_to_reopen_the_booking(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    issue(session, settings, reviewed)

    with pytest.raises(RuleViolation, match="its test report stands; to test again, revoke the certificate first"):
        complete_run(session, settings, reviewed.ready)
    session.rollback()
    with pytest.raises(Conflict, match="amend it to correct it, or revoke it to return the booking to review"):
        issue(session, settings, reviewed)


def test_a_corrected_certificate_is_issued_after_a_revocation_and_names_the_one_it_replaces(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    original = issue(session, settings, reviewed)
    revoke(session, settings, reviewed, original.number, reason="the sample was mislabelled")
    assert _current(session, settings, original) is None

    corrected = issue(session, settings, reviewed)

    assert corrected.number == f"{original.number}-R1"
    assert corrected.replaces_id == original.id
    assert corrected.amendment_reason == "the sample was mislabelled"
    assert corrected.verification_code != original.verification_code
    assert _booking(session, reviewed).status == BookingStatus.REPORTED
    session.refresh(original)
    assert original.status == CertificateStatus.REVOKED  # replaced, but still revoked: never "superseded"
    text = " ".join(" ".join(pdf_pages_text((settings.data_dir / corrected.pdf_path).read_bytes())).split())
    assert f"This report replaces {original.number}, which is withdrawn." in text
    assert "the sample was mislabelled" in text
    assert _current(session, settings, original) == corrected.number


def test_when_the_run_was_the_problem_a_new_run_is_made_and_reported_after_a_revocation(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    original = issue(session, settings, reviewed)
    revoke(session, settings, reviewed, original.number, reason="the fixture was loose")

    repeat = complete_run(session, settings, reviewed.ready)  # queuing it starts testing again
    assert _booking(session, reviewed).status == BookingStatus.TESTING
    engineer = reviewed.ready.engineer
    submit_for_review(session=session, booking_id=reviewed.ready.booking.id or 0, engineer=engineer, actor=SYSTEM)
    session.commit()
    corrected = issue(session, settings, reviewed, run_ids=[repeat.id or 0])

    reported = session.exec(select(CertificateRun.run_id).where(CertificateRun.certificate_id == corrected.id)).all()
    assert reported == [repeat.id]
    assert _booking(session, reviewed).status == BookingStatus.REPORTED
    assert _current(session, settings, original) == corrected.number


def test_a_reviewer_may_send_the_runs_back_to_testing_after_a_revocation(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    original = issue(session, settings, reviewed)
    revoke(session, settings, reviewed, original.number, reason="the fixture was loose")
    reviews = ReviewService(Database(session.get_bind()))  # type: ignore[arg-type]

    back = reviews.send_back(reviewed.ready.booking.id or 0, "measure again", by=Account.of(reviewed.reviewer))

    assert back.status == BookingStatus.TESTING


def test_revoking_the_certificate_of_a_closed_booking_reopens_it_for_review(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    certificate = issue(session, settings, reviewed)
    release = SampleRelease(sample_id=reviewed.ready.sample.id or 0, disposition=SampleDisposition.RETURNED)
    steps.close_booking(
        session=session,
        booking_id=reviewed.ready.booking.id or 0,
        releases=SampleReleases(samples=[release]),
        released_by_id=reviewed.ready.engineer.id or 0,
        actor=Actor(reviewed.ready.engineer.email, reviewed.ready.engineer.id),
    )
    session.commit()

    revoke(session, settings, reviewed, certificate.number, reason="wrong limits")

    assert _booking(session, reviewed).status == BookingStatus.IN_REVIEW
    assert issue(session, settings, reviewed).number == f"{certificate.number}-R1"


def test_after_a_revoked_amendment_the_original_says_that_nothing_stands_until_a_correction_is_issued(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    original = issue(session, settings, reviewed)
    amendment = amend(session, settings, reviewed, original.number, reason="typo")
    assert _current(session, settings, original) == amendment.number
    revoke(session, settings, reviewed, amendment.number, reason="wrong sample")

    assert _current(session, settings, original) is None
    assert _current(session, settings, amendment) is None
    assert _booking(session, reviewed).status == BookingStatus.IN_REVIEW

    correction = issue(session, settings, reviewed)

    assert correction.number == f"{original.number}-R2"
    assert correction.replaces_id == amendment.id
    assert _current(session, settings, original) == _current(session, settings, amendment) == correction.number

"""Amending and revoking: a new report that names the one it replaces; a withdrawal that keeps the document."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from labsys.audit import Actor, AuditEvent
from labsys.bookings.models import BookingStatus
from labsys.certificates import queries
from labsys.certificates.models import Certificate, CertificateStatus
from labsys.companies.models import CompanyCorrection
from labsys.companies.service import AccountService
from labsys.db import Database
from labsys.errors import Conflict, NotFound, PermissionDenied
from labsys.settings import Settings
from tests.labsys.certificates.factories import (
    ReviewedBooking,
    amend,
    complete_run,
    issue,
    make_reviewed_booking,
    make_reviewer,
    revoke,
)
from tests.results.certificates.poppler import pdf_pages_text

pytestmark = pytest.mark.integration


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings)


def _issued(session: Session, settings: Settings, reviewed: ReviewedBooking) -> Certificate:
    return issue(session, settings, reviewed)


def _amend(session: Session, settings: Settings, reviewed: ReviewedBooking, number: str, **kwargs: Any) -> Certificate:
    return amend(session, settings, reviewed, number, **kwargs)


def test_an_amendment_names_the_original_and_supersedes_it(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    original = _issued(session, settings, reviewed)
    amended = _amend(session, settings, reviewed, original.number)
    session.refresh(original)
    assert amended.number == f"{original.number}-R1"
    assert amended.replaces_id == original.id
    assert amended.amendment_reason == "corrected the item description"
    assert original.status == CertificateStatus.SUPERSEDED
    assert (settings.data_dir / original.pdf_path).is_file()
    assert (settings.data_dir / amended.pdf_path).is_file()
    assert amended.pdf_sha256 != original.pdf_sha256
    actions = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions[-2:] == ["certificate.issued", "certificate.superseded"]


def test_an_amendment_may_state_a_repeated_run_instead(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    original = _issued(session, settings, reviewed)
    reviewed.ready.booking.status = BookingStatus.TESTING  # the lab repeats the test after the report
    session.add(reviewed.ready.booking)
    session.commit()
    repeat = complete_run(session, settings, reviewed.ready)
    amended = _amend(session, settings, reviewed, original.number, run_ids=[repeat.id])
    assert [r.id for r in queries.certificate_runs(session, amended)] == [repeat.id]


def test_only_the_standing_revision_can_be_amended_or_revoked(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    original = _issued(session, settings, reviewed)
    amended = _amend(session, settings, reviewed, original.number)
    with pytest.raises(Conflict, match=f"the certificate that stands now is {amended.number}"):
        _amend(session, settings, reviewed, original.number)
    session.rollback()
    with pytest.raises(Conflict, match="superseded"):
        revoke(session, settings, reviewed, original.number, reason="x")
    session.rollback()
    with pytest.raises(NotFound):
        _amend(session, settings, reviewed, "LAB-1999-000001")


def test_revoking_keeps_the_document_and_records_why(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    certificate = _issued(session, settings, reviewed)
    revoked = revoke(session, settings, reviewed, certificate.number, reason="wrong sample")
    assert (revoked.status, revoked.revoked_reason) == (CertificateStatus.REVOKED, "wrong sample")
    assert revoked.revoked_at is not None
    assert (settings.data_dir / revoked.pdf_path).is_file()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "certificate.revoked")).one()
    assert event.after is not None
    assert (event.after["status"], event.after["revoked_reason"]) == ("revoked", "wrong sample")
    with pytest.raises(Conflict, match="revoked"):
        _amend(session, settings, reviewed, certificate.number)


def test_an_unqualified_reviewer_can_neither_amend_nor_revoke(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    certificate = _issued(session, settings, reviewed)
    outsider = make_reviewer(session, code="LCR-CAP")
    with pytest.raises(PermissionDenied):
        _amend(session, settings, reviewed, certificate.number, reviewer=outsider)
    session.rollback()
    with pytest.raises(PermissionDenied):
        revoke(session, settings, reviewed, certificate.number, reason="x", reviewer=outsider)


def test_a_customer_finds_only_their_own_companys_certificates(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    certificate = _issued(session, settings, reviewed)
    owner = reviewed.ready.company.id
    stranger = (reviewed.ready.company.id or 0) + 100
    assert queries.get_certificate(session=session, number=certificate.number, company_id=owner).id == certificate.id
    with pytest.raises(NotFound):
        queries.get_certificate(session=session, number=certificate.number, company_id=stranger)
    assert queries.list_certificates(session=session, company_id=stranger) == []
    assert len(queries.list_certificates(session=session, company_id=None)) == 1


def test_an_amendment_after_a_correction_of_the_company_record_prints_the_corrected_name(
    session: Session, settings: Settings
) -> None:
    reviewed = make_reviewed_booking(session, settings, company_name="Hanbit Materals Co")
    original = _issued(session, settings, reviewed)
    company_id = reviewed.ready.booking.company_id
    correction = CompanyCorrection(name="Hanbit Materials Co", reason="misspelt at registration")
    AccountService(Database(session.get_bind())).correct_company(company_id, correction, by=Actor("admin"))  # type: ignore[arg-type]

    amended = _amend(session, settings, reviewed, original.number, reason="the company's name corrected")

    before = " ".join(pdf_pages_text((settings.data_dir / original.pdf_path).read_bytes()))
    after = " ".join(pdf_pages_text((settings.data_dir / amended.pdf_path).read_bytes()))
    assert "Hanbit Materals Co" in before
    assert "Hanbit Materials Co" in after
    assert "Hanbit Materals Co" not in after

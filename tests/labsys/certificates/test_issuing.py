"""Issuing a certificate from completed runs: numbering, the signed PDF on disk, the booking step, the audit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from labsys.audit import Actor, AuditEvent, verify_chain
from labsys.bookings.models import BookingStatus
from labsys.certificates import issuing, queries
from labsys.certificates.models import Certificate, CertificateRun, CertificateStatus
from labsys.companies.models import Role, User
from labsys.db import Database, utcnow
from labsys.errors import ConfigurationError, Conflict, InvalidInput, PermissionDenied
from labsys.runs.models import RunStatus
from labsys.settings import Mode, Settings, load_settings
from results.certificates import sha256_bytes
from tests.labsys.certificates.factories import (
    ReviewedBooking,
    complete_run,
    issue,
    make_reviewed_booking,
    make_reviewer,
)
from tests.results.certificates.poppler import pdf_pages_text

pytestmark = pytest.mark.integration


@pytest.fixture
def reviewed(session: Session, settings: Settings) -> ReviewedBooking:
    return make_reviewed_booking(session, settings)


def _issue(session: Session, settings: Settings, reviewed: ReviewedBooking, **kwargs: Any) -> Certificate:
    return issue(session, settings, reviewed, **kwargs)


def test_issuing_stores_the_signed_pdf_whose_digest_the_register_keeps(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    certificate = _issue(session, settings, reviewed)
    pdf = (settings.data_dir / certificate.pdf_path).read_bytes()
    assert certificate.pdf_path == f"certificates/{certificate.number}.pdf"
    assert pdf.startswith(b"%PDF")
    assert sha256_bytes(pdf) == certificate.pdf_sha256
    assert certificate.status == CertificateStatus.ISSUED
    linked = session.exec(select(CertificateRun.run_id).where(CertificateRun.certificate_id == certificate.id)).all()
    assert linked == [reviewed.run.id]
    session.refresh(reviewed.ready.booking)
    assert reviewed.ready.booking.status == BookingStatus.REPORTED


def test_numbers_count_up_within_the_lab_year_in_seoul(session: Session, settings: Settings) -> None:
    first = make_reviewed_booking(session, settings)
    second = make_reviewed_booking(session, settings)
    # 2026-12-31 16:00 UTC is already 2027-01-01 in Seoul.
    new_year = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    one = _issue(session, settings, first, now=datetime(2026, 12, 31, 14, 0, tzinfo=UTC))
    two = _issue(session, settings, second, now=new_year)
    assert one.number == "LAB-2026-000001"
    assert two.number == "LAB-2027-000001"
    third = make_reviewed_booking(session, settings)
    assert _issue(session, settings, third, now=new_year).number == "LAB-2027-000002"


def test_the_engineer_who_ran_a_run_cannot_approve_it(session: Session, settings: Settings) -> None:
    reviewed = make_reviewed_booking(session, settings)
    engineer = reviewed.ready.engineer
    engineer.role = Role.REVIEWER  # promoted since the run, and qualified for the method
    engineer.qualifications = ["DIODE-IV"]
    session.add(engineer)
    session.commit()
    with pytest.raises(PermissionDenied, match=f"you ran run {reviewed.run.id}: a second person must approve it"):
        _issue(session, settings, reviewed, reviewer=engineer)
    session.rollback()
    assert session.exec(select(Certificate)).all() == []


def test_a_reviewer_not_qualified_for_the_method_is_refused(session: Session, settings: Settings) -> None:
    reviewed = make_reviewed_booking(session, settings)
    with pytest.raises(PermissionDenied, match="not qualified to review DIODE-IV"):
        _issue(session, settings, reviewed, reviewer=make_reviewer(session, code="RES-4W-TCR"))


def test_runs_of_another_booking_or_not_completed_are_refused(session: Session, settings: Settings) -> None:
    reviewed = make_reviewed_booking(session, settings)
    other = make_reviewed_booking(session, settings)
    with pytest.raises(InvalidInput, match=f"run {other.run.id} is not a run of booking {reviewed.ready.booking.id}"):
        _issue(session, settings, reviewed, run_ids=[reviewed.run.id, other.run.id])
    session.rollback()
    reviewed.run.status = RunStatus.FAILED
    session.add(reviewed.run)
    session.commit()
    with pytest.raises(Conflict, match="is failed: only completed runs are reported"):
        _issue(session, settings, reviewed)


def test_a_booking_not_in_review_gets_no_certificate(session: Session, settings: Settings) -> None:
    reviewed = make_reviewed_booking(session, settings)
    _issue(session, settings, reviewed)
    with pytest.raises(Conflict, match="is reported: a certificate is issued for a booking in review"):
        _issue(session, settings, reviewed)


def test_a_failed_signing_leaves_neither_row_nor_file(session: Session, settings: Settings, tmp_path: Path) -> None:
    reviewed = make_reviewed_booking(session, settings)
    production = load_settings(
        mode=Mode.PRODUCTION, secret_key="x" * 40, data_dir=settings.data_dir, database_url=settings.database_url
    )
    with pytest.raises(ConfigurationError, match="labsys keys init"):
        _issue(session, production, reviewed)
    session.rollback()
    assert session.exec(select(Certificate)).all() == []
    assert not (settings.data_dir / "certificates").exists() or not any((settings.data_dir / "certificates").iterdir())
    assert not (settings.data_dir / "keys").exists()  # production never makes keys behind the lab's back


def test_a_transaction_that_does_not_commit_removes_the_pdf_it_wrote(
    session: Session, settings: Settings, db: Database
) -> None:
    reviewed = make_reviewed_booking(session, settings)
    session.commit()
    with db.reading() as reading:
        draft = issuing.draft_certificate(
            reading, booking_id=reviewed.ready.booking.id or 0, run_ids=[reviewed.run.id or 0],
            reviewer=reviewing(reading, reviewed), settings=settings, now=utcnow(),
        )  # fmt: skip
    path = settings.data_dir / "certificates" / f"{draft.number}.pdf"
    written: list[bool] = []

    def record_then_fail() -> None:
        with db.writing() as writing:
            issuing.record_certificate(
                writing, draft=draft, signed_pdf=b"%PDF-1.7 signed", settings=settings, actor=Actor("r")
            )
            written.append(path.is_file())
            raise RuntimeError("the commit failed")  # what a failed commit does to the transaction

    with pytest.raises(RuntimeError, match="the commit failed"):
        record_then_fail()
    assert written == [True]
    assert not path.exists()
    assert session.exec(select(Certificate)).all() == []


def test_issuing_is_in_the_audit_chain(session: Session, settings: Settings, reviewed: ReviewedBooking) -> None:
    certificate = _issue(session, settings, reviewed)
    actions = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions[-2:] == ["certificate.issued", "booking.reported"]
    issued = session.exec(select(AuditEvent).where(AuditEvent.action == "certificate.issued")).one()
    assert issued.after is not None
    assert issued.after["pdf_sha256"] == certificate.pdf_sha256
    assert verify_chain(session)[1] is None


def test_a_report_may_state_several_runs_of_one_booking(session: Session, settings: Settings) -> None:
    reviewed = make_reviewed_booking(session, settings, runs=2)
    last = reviewed.run.id or 0
    certificate = _issue(session, settings, reviewed, run_ids=[last, last - 1])
    assert [r.id for r in queries.certificate_runs(session, certificate)] == [last - 1, last]


def test_a_run_without_its_data_file_is_reported_without_a_plot(session: Session, settings: Settings) -> None:
    reviewed = make_reviewed_booking(session, settings)
    reviewed.ready.booking.status = BookingStatus.TESTING
    session.add(reviewed.ready.booking)
    session.commit()
    bare = complete_run(session, settings, reviewed.ready, with_file=False)
    reviewed.ready.booking.status = BookingStatus.IN_REVIEW
    session.add(reviewed.ready.booking)
    session.commit()
    certificate = _issue(session, settings, reviewed, run_ids=[bare.id])
    assert (settings.data_dir / certificate.pdf_path).is_file()


def reviewing(session: Session, reviewed: ReviewedBooking) -> User:
    """The booking's reviewer as ``session`` reads them."""
    reviewer = session.get(User, reviewed.reviewer.id)
    assert reviewer is not None
    return reviewer


def test_the_report_names_the_conditions_the_equipment_with_its_calibration_and_the_accreditation(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    certificate = _issue(session, settings, reviewed)
    pages = pdf_pages_text((settings.data_dir / certificate.pdf_path).read_bytes())
    text = " ".join(" ".join(pages).split())

    assert "Test conditions" in text
    for name, parameter in reviewed.run.parameters.items():
        assert f"{name.replace('_', ' ').capitalize()} {float(parameter['value']):g}" in text
    assert "Equipment used" in text
    for instrument in reviewed.ready.instruments:  # a long asset tag wraps within its column: each part is there
        assert f"{instrument.manufacturer} {instrument.model}" in text
        assert f"{instrument.calibration_certificate} {instrument.calibrated_on} {instrument.calibration_due}" in text
    assert "traceable to the International System of Units (SI)" in text
    assert f"SMP-{reviewed.ready.sample.id:06d}" in text  # the lab's number for the sample
    assert "accreditation body KOLAS (Korea Laboratory Accreditation Scheme), No. not stated" in text


def test_the_report_prints_each_results_uncertainty_budget_and_says_when_u_was_raised_to_the_validated_figure(
    session: Session, settings: Settings, reviewed: ReviewedBooking
) -> None:
    certificate = _issue(session, settings, reviewed)
    text = " ".join(" ".join(pdf_pages_text((settings.data_dir / certificate.pdf_path).read_bytes())).split())

    assert "Uncertainty budgets" in text
    assert "fit of the I-V points (type A) A normal 0.006" in text
    assert "junction temperature, stated ambient ± 1 K B rectangular 0.008 ∞" in text
    # u_c = √(0.006² + 0.008²) = 0.010; U = 2 × u_c = 0.020 as recorded, not raised
    assert "combined u_c = 0.01; ν_eff = " in text
    assert "U = 0.020 (k = 2.00) Series" in text
    # the series resistance's budget combines to 0.0002 Ω; the method's validated 0.05 Ω is what it reports
    assert "U = 0.050 Ω (k = 2.00), raised to the method's validated uncertainty" in text
    assert "Welch-Satterthwaite" in text

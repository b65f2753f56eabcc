"""Completed runs with real HDF5 files and metrics, and bookings under review, built directly in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlmodel import Session, select

from labsys.audit import SYSTEM, Actor
from labsys.bookings.models import BookingStatus
from labsys.certificates.models import Certificate, CertificateCreate
from labsys.certificates.review import submit_for_review
from labsys.certificates.service import CertificateService
from labsys.companies.accounts import Account
from labsys.companies.models import Role, User
from labsys.db import Database, utcnow
from labsys.runs import lifecycle, queueing
from labsys.runs.data import run_file_path
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import Run, RunCreate, RunStatus, Verdict
from labsys.settings import Settings
from labsys.timeutil import lab_today
from results.hdf5 import RunEntry, RunFileWriter, SampleInfo
from tests.factories import make_user
from tests.labsys.runs.conftest import ReadyBooking, make_ready_booking

__all__ = [
    "KOREAN_COMPANY",
    "PASSING_METRICS",
    "ReviewedBooking",
    "amend",
    "certificate_service",
    "complete_run",
    "flip_one_byte_of_the_title",
    "issue",
    "make_reviewed_booking",
    "make_reviewer",
    "revoke",
]

KOREAN_COMPANY = "(주)한빛소재"

#: A diode that meets DIODE-IV's limits: ideality 1.0 to 2.0, series resistance at most 2 ohm.
PASSING_METRICS: dict[str, dict[str, Any]] = {
    "ideality_factor": {
        "value": 1.52,
        "expanded_uncertainty": 0.02,
        "coverage_factor": 2.0,
        "units": "",
        "lower_limit": 1.0,
        "upper_limit": 2.0,
        "verdict": "pass",
        "budget": [
            {
                "source": "fit of the I-V points (type A)",
                "standard_uncertainty": 0.006,
                "degrees_of_freedom": 52.0,
                "evaluation": "A",
                "distribution": "normal",
            },
            {
                "source": "junction temperature, stated ambient ± 1 K",
                "standard_uncertainty": 0.008,
                "degrees_of_freedom": None,
                "evaluation": "B",
                "distribution": "rectangular",
            },
        ],
    },
    "series_resistance": {
        "value": 0.83,
        "expanded_uncertainty": 0.05,
        "coverage_factor": 2.0,
        "units": "ohm",
        "lower_limit": None,
        "upper_limit": 2.0,
        "verdict": "pass",
        "budget": [
            {
                "source": "fit of the I-V points (type A)",
                "standard_uncertainty": 0.0001,
                "degrees_of_freedom": 52.0,
                "evaluation": "A",
                "distribution": "normal",
            },
        ],
    },
    "saturation_current": {
        "value": 2.7e-9,
        "expanded_uncertainty": 0.3e-9,
        "coverage_factor": 2.0,
        "units": "A",
        "lower_limit": None,
        "upper_limit": None,
        "verdict": None,
    },
}


def _write_iv_file(settings: Settings, run: Run) -> tuple[str, str]:
    """A small real run file with a diode's forward I-V curve; returns its path (relative) and SHA-256."""
    path = run_file_path(settings.data_dir, run.id or 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = RunEntry(str(run.id), str(run.booking_id), "DIODE-IV", "1", datetime.now(UTC), "engineer", "0.1.0")
    with RunFileWriter.create(path, entry, SampleInfo("S-1", "1N4148 diode", "intact"), [], {}) as writer:
        writer.define_columns({"voltage": "V", "current": "A"})
        voltage = np.linspace(0.3, 0.85, 56)
        writer.append_rows({"voltage": voltage, "current": 2.7e-9 * np.expm1(voltage / (1.52 * 0.02585))})
        digest = writer.close("completed")
    return str(path.relative_to(settings.data_dir)), digest


def complete_run(
    session: Session,
    settings: Settings,
    ready: ReadyBooking,
    *,
    metrics: dict[str, dict[str, Any]] | None = None,
    verdict: Verdict = Verdict.PASS,
    with_file: bool = True,
) -> Run:
    """Queue a run of the booking, claim it as its station would, and complete it with metrics (and a file)."""
    today = lab_today(settings.zone)
    run_in = RunCreate(booking=ready.booking.id or 0, sample=ready.sample.id or 0)
    actor = Actor(ready.engineer.email, ready.engineer.id)
    queued = queueing.queue_run(session=session, run_in=run_in, engineer=ready.engineer, actor=actor, today=today)
    session.commit()
    claimed = lifecycle.claim_next_run(session=session, station=ready.instruments[0].station)
    assert claimed is not None
    assert claimed.id == queued.id
    hdf5_path, digest = _write_iv_file(settings, claimed) if with_file else (None, "ab" * 32)
    outcome = RunOutcome(
        RunStatus.COMPLETED,
        metrics=PASSING_METRICS if metrics is None else metrics,
        verdict=verdict,
        hdf5_path=hdf5_path,
        hdf5_sha256=digest,
    )
    run = lifecycle.finish_run(session=session, run_id=claimed.id or 0, outcome=outcome)
    session.commit()
    return run


def make_reviewer(session: Session, *, code: str = "DIODE-IV", name: str | None = None) -> User:
    """A reviewer qualified to sign reports of ``code``."""
    fields: dict[str, Any] = {"name": name} if name else {}
    return make_user(session, Role.REVIEWER, qualifications=[code], **fields)


@dataclass
class ReviewedBooking:
    """A booking in review with one completed run, and a qualified reviewer who did not run it."""

    ready: ReadyBooking
    run: Run
    reviewer: User


def make_reviewed_booking(
    session: Session, settings: Settings, *, company_name: str | None = None, runs: int = 1
) -> ReviewedBooking:
    """A DIODE-IV booking with ``runs`` completed runs, submitted for review; optionally a named company."""
    ready = make_ready_booking(session, company_name=company_name)
    done = [complete_run(session, settings, ready) for _ in range(runs)]
    submit_for_review(session=session, booking_id=ready.booking.id or 0, engineer=ready.engineer, actor=SYSTEM)
    session.commit()
    assert ready.booking.status == BookingStatus.IN_REVIEW
    return ReviewedBooking(ready=ready, run=done[-1], reviewer=make_reviewer(session))


def flip_one_byte_of_the_title(pdf: bytes) -> bytes:
    """A copy with one character of the document title changed; the title lies inside the signed byte range."""
    marker = b"/Title (Test Report "
    position = pdf.index(marker) + len(marker)
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]


def certificate_service(session: Session, settings: Settings, now: datetime | None = None) -> CertificateService:
    """The certificate service on the test's database, its clock at ``now`` (default: the real time)."""
    return CertificateService(Database(session.get_bind()), settings, clock=(lambda: now) if now else utcnow)  # type: ignore[arg-type]


def _stored(session: Session, number: str) -> Certificate:
    session.commit()  # a snapshot the test's session took before the service wrote would not show it
    session.expire_all()
    return session.exec(select(Certificate).where(Certificate.number == number)).one()


def issue(
    session: Session,
    settings: Settings,
    reviewed: ReviewedBooking,
    *,
    reviewer: User | None = None,
    run_ids: list[int] | None = None,
    now: datetime | None = None,
) -> Certificate:
    """Issue the booking's certificate through the service, as the API does; the row as stored."""
    session.commit()  # the service writes in transactions of its own: end the test's snapshot first
    request = CertificateCreate(booking=reviewed.ready.booking.id or 0, runs=run_ids or [reviewed.run.id or 0])
    public = certificate_service(session, settings, now).issue(request, by=Account.of(reviewer or reviewed.reviewer))
    return _stored(session, public.number)


def amend(
    session: Session,
    settings: Settings,
    reviewed: ReviewedBooking,
    number: str,
    *,
    reason: str = "corrected the item description",
    reviewer: User | None = None,
    run_ids: list[int] | None = None,
) -> Certificate:
    """Amend a certificate through the service; the amendment as stored."""
    session.commit()
    service = certificate_service(session, settings)
    public = service.amend(number, reason, run_ids, by=Account.of(reviewer or reviewed.reviewer))
    return _stored(session, public.number)


def revoke(
    session: Session,
    settings: Settings,
    reviewed: ReviewedBooking,
    number: str,
    *,
    reason: str,
    reviewer: User | None = None,
) -> Certificate:
    """Revoke a certificate through the service; the certificate as stored."""
    session.commit()
    certificate_service(session, settings).revoke(number, reason, by=Account.of(reviewer or reviewed.reviewer))
    return _stored(session, number)

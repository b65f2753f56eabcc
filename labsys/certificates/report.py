"""The report data of a certificate, gathered from the lab's records (booking, samples, runs, people), and the
plots of its runs, read from their files.

Everything the report prints comes from here; :mod:`results.certificates` renders it as given. Dates are the
lab's calendar dates (Asia/Seoul); times in the records are UTC. The records are read in a transaction; the
plots after it, from the closed run files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np
from sqlmodel import Session, col, select

from labsys.bookings.models import Booking, Sample
from labsys.bookings.parties import resolved_party
from labsys.certificates.codes import format_code
from labsys.certificates.conformity import conformity_statement, measurement, metric_title, report_unit
from labsys.certificates.overlays import run_deviations
from labsys.companies.models import Company, User
from labsys.errors import LabError
from labsys.methods.models import DecisionRule as MethodDecisionRule
from labsys.methods.models import TestMethod as MethodRecord
from labsys.runs.data import run_preview
from labsys.runs.models import Run
from labsys.runs.queries import run_instruments
from labsys.settings import Settings
from results.certificates import (
    Amendment,
    Condition,
    DecisionRule,
    EquipmentUsed,
    Laboratory,
    Party,
    Person,
    PlotLine,
    PlotSeries,
    ReportData,
    ReportDates,
    ReportStatus,
    RunResult,
    TestItem,
    TestMethod,
)
from results.hdf5 import RunFileError, open_run

__all__ = [
    "PLOT_POINTS",
    "ReportSubject",
    "accreditation",
    "build_report",
    "run_files",
    "sample_number",
    "verification_url",
    "with_plots",
]

logger = logging.getLogger(__name__)

#: Points per plotted curve: plenty for a printed plot a few centimetres wide.
PLOT_POINTS = 600

_RULES = {
    MethodDecisionRule.SIMPLE: DecisionRule.SIMPLE_ACCEPTANCE,
    MethodDecisionRule.GUARD_BAND: DecisionRule.GUARD_BAND,
}


@dataclass(frozen=True)
class ReportSubject:
    """What a certificate reports: the booking, its method and company, and the runs (by id)."""

    booking: Booking
    method: MethodRecord
    company: Company
    runs: tuple[Run, ...]


def verification_url(settings: Settings, number: str, code: str) -> str:
    """The public page that checks a certificate, with its number and verification code (as printed); printed on
    the certificate and encoded in its QR code."""
    query = urlencode({"number": number, "code": format_code(code)})
    return f"{settings.public_url.rstrip('/')}/verify?{query}"


def _party(values: dict[str, Any], company: Company) -> Party:
    """A party of the request: the company as its record reads now (so an amendment carries a correction of it),
    or the business the booking named."""
    party = resolved_party(values, company)
    number = party.business_registration_number
    return Party(party.name, party.address, _brn(number) if number else None)


def _brn(digits: str) -> str:
    """A business registration number as Koreans print it: ``124-81-00998``."""
    plain = digits.replace("-", "")
    return f"{plain[:3]}-{plain[3:5]}-{plain[5:]}" if len(plain) == 10 else digits


def _series(run_id: str, path: Path, overlays: tuple[PlotLine, ...]) -> tuple[PlotSeries, ...]:
    """The run's main curve from its HDF5 file, with ``overlays`` drawn over it; none if it has no file or no
    series (the report says so)."""
    if not path.is_file():
        return ()
    try:
        curve = run_preview(path, series=None, points=PLOT_POINTS)
    except (LabError, RunFileError, OSError) as exc:
        logger.warning("run %s: no plot for the report: %s", run_id, exc)
        return ()
    name = str(curve["series"])
    kind, _, label = name.partition("/")
    x = np.asarray(curve["x"], dtype=np.float64)
    y = (np.asarray(curve["y_min"], dtype=np.float64) + np.asarray(curve["y_max"], dtype=np.float64)) / 2
    x_label = "Time" if kind == "waveforms" else _axis_name(path)
    title, x_units, y_units = f"Run {run_id}: {label}", str(curve["x_units"]), str(curve["y_units"])
    return (PlotSeries(title, x, y, x_label, x_units, label, y_units, overlays),)


def _axis_name(path: Path) -> str:
    """The swept column's name as a report labels an axis (``voltage`` → ``Voltage``)."""
    try:
        axis = open_run(path).axis
    except (RunFileError, OSError):
        axis = None
    return metric_title(axis) if axis else "x"


def with_plots(
    data: ReportData, run_files: dict[str, Path], overlays: dict[str, tuple[PlotLine, ...]] | None = None
) -> ReportData:
    """The report with each run's plot, read from its HDF5 file (``run_files`` by run id), with the lines
    ``overlays`` gives for a run drawn over it."""
    lines = overlays or {}
    runs = tuple(
        replace(r, series=_series(r.run_id, run_files[r.run_id], lines.get(r.run_id, ())))
        if r.run_id in run_files
        else r
        for r in data.runs
    )
    return replace(data, runs=runs)


def run_files(runs: tuple[Run, ...], data_dir: Path) -> dict[str, Path]:
    """Where each run's HDF5 file is, by run id (runs without a file are left out)."""
    return {str(run.id): data_dir / run.hdf5_path for run in runs if run.hdf5_path}


def sample_number(sample_id: int) -> str:
    """The number the lab registered a sample under, unique in its records: ``SMP-000042``."""
    return f"SMP-{sample_id:06d}"


def accreditation(settings: Settings) -> str:
    """The report's accreditation line: the lab's scope, the body and the number it issued."""
    number = settings.lab_accreditation_number or "not stated"
    return f"{settings.lab_accreditation}; accreditation body {settings.lab_accreditation_body}, No. {number}"


def _conditions(run: Run) -> tuple[Condition, ...]:
    """The method's parameters as set for the run, in the order the method lists them."""
    return tuple(
        Condition(metric_title(name), f"{float(p['value']):g}", report_unit(str(p.get("unit") or "")))
        for name, p in run.parameters.items()
    )


def _equipment(session: Session, run: Run) -> tuple[EquipmentUsed, ...]:
    return tuple(
        EquipmentUsed(
            i.asset_tag,
            f"{i.manufacturer} {i.model}",
            i.serial,
            i.calibration_certificate,
            i.calibrated_on,
            i.calibration_due,
        )
        for i in run_instruments(session, run.id or 0)
    )


def _dates(runs: tuple[Run, ...], samples: list[Sample], issued: datetime, settings: Settings) -> ReportDates:
    zone = settings.zone

    def day(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    started = min(day(r.started_at or r.queued_at) for r in runs)
    ended = max(day(r.finished_at or r.started_at or r.queued_at) for r in runs)
    received_at = [s.received_at for s in samples if s.received_at is not None]
    received = min([day(t) for t in received_at], default=started)
    return ReportDates(min(received, started), started, ended, max(ended, day(issued)))


def _tested_by(session: Session, runs: tuple[Run, ...]) -> Person:
    ids = sorted({r.engineer_id for r in runs})
    engineers = session.exec(select(User).where(col(User.id).in_(ids)).order_by(col(User.name))).all()
    return Person(", ".join(e.name for e in engineers), "Test engineer" if len(engineers) == 1 else "Test engineers")


def build_report(
    session: Session,
    *,
    subject: ReportSubject,
    number: str,
    verification_code: str,
    reviewer: User,
    issued_at: datetime,
    settings: Settings,
    amendment: Amendment | None = None,
) -> ReportData:
    """The report a certificate prints, from the lab's records (its plots come after: :func:`with_plots`).

    Args:
        session: The database session.
        subject: Booking, method, company and the runs reported (completed, each with its data digest).
        number: The certificate's number.
        verification_code: Its verification code (as stored: :func:`~labsys.certificates.codes.new_verification_code`),
            printed beside the number and carried in the QR link.
        reviewer: Who authorises it.
        issued_at: When it is issued (aware, UTC); printed as the lab's date.
        settings: Lab name, address, zone, public URL and data folder.
        amendment: What it replaces, for an amended report.
    """
    booking, company, runs = subject.booking, subject.company, subject.runs
    sample_ids = sorted({r.sample_id for r in runs})
    samples = list(session.exec(select(Sample).where(col(Sample.id).in_(sample_ids)).order_by(col(Sample.id))).all())
    labels = {s.id: s.label for s in samples}
    results = tuple(
        RunResult(
            run_id=str(run.id),
            item_label=labels[run.sample_id],
            measurements=tuple(measurement(name, values) for name, values in run.metrics.items()),
            data_sha256=run.hdf5_sha256 or "",
            conditions=_conditions(run),
            equipment=_equipment(session, run),
        )
        for run in runs
    )
    rule = _RULES[MethodDecisionRule(subject.method.decision_rule)]
    return ReportData(
        number=number,
        status=ReportStatus.ISSUED,
        lab=Laboratory(settings.lab_name, settings.lab_address, accreditation(settings), settings.lab_test_site),
        applicant=_party(booking.applicant, company),
        payer=_party(booking.payer, company),
        recipient=_party(booking.report_recipient, company),
        method=TestMethod(
            subject.method.code, subject.method.title, subject.method.standard, str(booking.method_version)
        ),
        items=tuple(
            TestItem(s.label, s.description, s.condition_on_receipt or "not recorded", sample_number(s.id or 0))
            for s in samples
        ),
        dates=_dates(runs, samples, issued_at, settings),
        runs=results,
        decision_rule=rule,
        conformity_statement=conformity_statement(runs, rule),
        authorised_by=Person(reviewer.name, "Reviewer, authorised signatory"),
        tested_by=_tested_by(session, runs),
        verification_url=verification_url(settings, number, verification_code),
        verification_code=format_code(verification_code),
        amendment=amendment,
        deviations=tuple(note for run in runs for note in run_deviations(run)),
    )

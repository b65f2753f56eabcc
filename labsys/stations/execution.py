"""Executing one claimed run: instruments open, procedure run, data to HDF5, analysis, the end recorded."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

import labsys
from labsys.bookings.models import Sample
from labsys.companies.models import User
from labsys.db import Database
from labsys.methods.models import TestMethod
from labsys.runs import lifecycle
from labsys.runs.data import run_file_path
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import Run, RunStatus, Verdict
from labsys.runs.queries import run_instruments
from labsys.stations.connection import Connector, InstrumentRef
from labsys.stations.live import LivePreview
from labsys.stations.programs import MethodProgram
from labsys.stations.sink import RunFileSink
from labsys.stations.verdicts import floored, judge, metrics_record
from procedures.runner import Ending, ProcedureOutcome, run_procedure
from results.analysis import Assessment, Metric
from results.hdf5 import InstrumentInfo, Quantity, RunEntry, RunFileWriter, SampleInfo

__all__ = ["RunPlan", "execute_run", "plan_run"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunPlan:
    """Everything a run needs from the database, read once so the run holds no transaction open."""

    run_id: int
    booking_id: int
    method: TestMethod
    sample: Sample
    operator: str
    instruments: tuple[InstrumentRef, ...]
    parameters: dict[str, float]
    units: dict[str, str]
    started_at: Any


def plan_run(session: Session, run: Run) -> RunPlan:
    """Read the run's method, sample, engineer and instruments."""
    method = session.get(TestMethod, run.method_id)
    sample = session.get(Sample, run.sample_id)
    engineer = session.get(User, run.engineer_id)
    assert method is not None  # noqa: S101 - foreign keys guarantee all three
    assert sample is not None  # noqa: S101
    assert engineer is not None  # noqa: S101
    session.expunge(method)
    session.expunge(sample)
    return RunPlan(
        run_id=run.id or 0,
        booking_id=run.booking_id,
        method=method,
        sample=sample,
        operator=f"{engineer.name} <{engineer.email}>",
        instruments=tuple(InstrumentRef.of(i) for i in run_instruments(session, run.id or 0)),
        parameters={name: float(p["value"]) for name, p in run.parameters.items()},
        units={name: str(p["unit"]) for name, p in run.parameters.items()},
        started_at=run.started_at,
    )


class ProgressReporter:
    """Stores progress, and a live preview of the data so far, in the database at most every ``interval_s``, and
    turns a requested abort into the event.

    The preview comes from the sink's in-memory copy (the file is being written: nobody reads it before it is
    closed), on this thread, so the procedure's thread never waits for it.
    """

    def __init__(self, db: Database, run_id: int, interval_s: float) -> None:
        self.db, self.run_id, self.interval_s = db, run_id, interval_s
        self.percent = 0.0
        self.sink: RunFileSink | None = None
        self.live = LivePreview()
        self.abort = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"run-{run_id}-progress", daemon=True)

    def __enter__(self) -> ProgressReporter:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            sink = self.sink
            committed = sink.committed if sink else 0
            preview = self.live.update(sink.kept) if sink else None
            with self.db.writing() as session:
                if lifecycle.record_progress(
                    session=session,
                    run_id=self.run_id,
                    progress=self.percent,
                    rows_committed=committed,
                    live_preview=preview,
                ):
                    self.abort.set()


def _instrument_info(ref: InstrumentRef, firmware: str) -> InstrumentInfo:
    return InstrumentInfo(
        ref.asset_tag,
        ref.kind,
        ref.manufacturer,
        ref.model,
        ref.serial,
        firmware,
        ref.calibration_due or date.min,
        ref.resource,
        ref.calibrated_on,
        ref.calibration_certificate,
    )


def _run_in_file(
    plan: RunPlan, program: MethodProgram, connector: Connector, path: Path, progress: ProgressReporter
) -> tuple[ProcedureOutcome, RunFileWriter | None, RunFileSink | None]:
    with ExitStack() as stack:
        connected = {ref.kind: (ref, stack.enter_context(connector.open(ref))) for ref in plan.instruments}
        entry = RunEntry(
            str(plan.run_id),
            str(plan.booking_id),
            plan.method.code,
            str(plan.method.version),
            plan.started_at,
            plan.operator,
            labsys.__version__,
            plan.method.title,
        )
        writer = RunFileWriter.create(
            path,
            entry,
            SampleInfo(plan.sample.label, plan.sample.description, plan.sample.condition_on_receipt),
            [_instrument_info(ref, c.firmware) for ref, c in connected.values()],
            {name: Quantity(value, plan.units[name] or "1") for name, value in plan.parameters.items()},
        )
        sink = RunFileSink(writer)
        progress.sink = sink

        def on_progress(percent: float) -> None:
            progress.percent = percent

        outcome = run_procedure(
            program.procedure,
            instruments={kind: c.driver for kind, (_, c) in connected.items()},
            parameters=plan.parameters,
            sink=sink,
            abort=progress.abort,
            on_progress=on_progress,
        )
        return outcome, writer, sink
    raise AssertionError("unreachable")  # pragma: no cover


def _analyse(plan: RunPlan, program: MethodProgram, sink: RunFileSink) -> tuple[dict[str, Metric], Assessment]:
    metrics = floored(plan.method, program.analyse(sink.kept, plan.parameters))
    return metrics, judge(plan.method, metrics)


def execute_run(
    *,
    db: Database,
    data_dir: Path,
    plan: RunPlan,
    program: MethodProgram,
    connector: Connector,
    progress_interval_s: float = 0.5,
) -> RunOutcome:
    """Run a claimed run to its end and record the outcome; never raises for a fault of the run itself."""
    path = run_file_path(data_dir, plan.run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    relative = str(path.relative_to(data_dir))
    with db.writing() as session:
        run = session.get(Run, plan.run_id)
        assert run is not None  # noqa: S101 - the station just claimed it
        run.hdf5_path = relative
    writer: RunFileWriter | None = None
    metrics: dict[str, Metric] = {}
    assessment: Assessment | None = None
    phases = _Phases()
    with ProgressReporter(db, plan.run_id, progress_interval_s) as progress:
        try:
            procedure, writer, sink = _run_in_file(plan, program, connector, path, progress)
            phases.end("acquisition")
            if procedure.ending is Ending.COMPLETED and sink is not None and writer is not None:
                metrics, assessment = _analyse(plan, program, sink)
                writer.write_analysis(metrics.values(), assessment)
                phases.end("analysis")
        except Exception as exc:
            log.warning("run %s failed: %s", plan.run_id, exc)
            procedure = ProcedureOutcome(Ending.FAILED, f"{type(exc).__name__}: {exc}")
    status = RunStatus(procedure.ending.value)
    digest, rows = _close(writer, status)
    phases.end("closing the file")
    log.info("run %s %s: %s", plan.run_id, status.value, phases)
    outcome = RunOutcome(
        status,
        reason=procedure.reason,
        metrics=metrics_record(metrics, assessment),
        verdict=Verdict(assessment.verdict.value) if assessment else None,
        hdf5_path=relative if path.exists() else None,
        hdf5_sha256=digest,
        rows_committed=rows,
    )
    with db.writing() as session:
        lifecycle.finish_run(session=session, run_id=plan.run_id, outcome=outcome)
    return outcome


class _Phases:
    """How long each phase of a run took, for the station's log: where a slow run spends its time."""

    def __init__(self) -> None:
        self.ended_s: dict[str, float] = {}
        self._since = time.perf_counter()

    def end(self, phase: str) -> None:
        now = time.perf_counter()
        self.ended_s[phase] = now - self._since
        self._since = now

    def __str__(self) -> str:
        return ", ".join(f"{phase} {seconds:.3f} s" for phase, seconds in self.ended_s.items())


def _close(writer: RunFileWriter | None, status: RunStatus) -> tuple[str | None, int]:
    if writer is None:
        return None, 0
    try:
        committed = writer.flush()
        return writer.close(status.value), max(committed.values(), default=0)
    except Exception as exc:
        log.error("closing the run file failed: %s", exc)
        return None, max(writer.committed.values(), default=0)

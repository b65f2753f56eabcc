"""Executing one claimed run: instruments open, procedure run, data to HDF5, analysis of the closed file, the end
recorded.

A completed run's file is finished first (every block flushed, the file closed), then analysed from the closed
file, then its analysis is added to it (an NXprocess), and only then is its status written and its SHA-256 taken:
the digest in the database is the final file's. A fault during the analysis fails the run with its reason; the file
keeps its data and says ``failed``.
"""

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
from labsys.runs.analysis import AnalysisResult, analyse_run_file
from labsys.runs.data import run_file_path
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import Run, RunStatus
from labsys.runs.queries import run_instruments
from labsys.stations.connection import Connector, InstrumentRef
from labsys.stations.live import LivePreview
from labsys.stations.programs import MethodProgram
from labsys.stations.sink import RunFileSink
from procedures.base import InstrumentSettings
from procedures.runner import Ending, ProcedureOutcome, instrument_settings, run_procedure
from results.hdf5 import InstrumentInfo, Quantity, RunEntry, RunFileWriter, SampleInfo

__all__ = ["RunPlan", "execute_run", "plan_run"]

log = logging.getLogger(__name__)

#: The writer's age limit for buffered rows: none. Each block a procedure hands over is written and flushed at once,
#: so a kill loses nothing it handed over: a method that waits between blocks (a chamber settling for minutes) would
#: otherwise hold its rows in memory until its next block, and a kill in the wait lost them all. Procedures hand
#: over blocks, never single readings (:class:`procedures.sink.DataSink`).
COMMIT_EVERY_BLOCK = 0.0


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

    The preview is the one the sink feeds as it writes (the file is being written: nobody reads it before it is
    closed), completed on this thread, so the procedure's thread never waits for it.
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
            preview = self.live.update()
            with self.db.writing() as session:
                if lifecycle.record_progress(
                    session=session,
                    run_id=self.run_id,
                    progress=self.percent,
                    rows_committed=committed,
                    live_preview=preview,
                ):
                    self.abort.set()


def _instrument_info(ref: InstrumentRef, firmware: str, settings: InstrumentSettings) -> InstrumentInfo:
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
        settings.get(ref.kind, {}),
    )


def _run_in_file(
    plan: RunPlan, program: MethodProgram, connector: Connector, path: Path, progress: ProgressReporter
) -> tuple[ProcedureOutcome, RunFileWriter]:
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
        settings = instrument_settings(program.procedure, plan.parameters)
        writer = RunFileWriter.create(
            path,
            entry,
            SampleInfo(plan.sample.label, plan.sample.description, plan.sample.condition_on_receipt),
            [_instrument_info(ref, c.firmware, settings) for ref, c in connected.values()],
            {name: Quantity(value, plan.units[name] or "1") for name, value in plan.parameters.items()},
            max_block_age_s=COMMIT_EVERY_BLOCK,
        )
        sink = RunFileSink(writer, progress.live)
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
        return outcome, writer
    raise AssertionError("unreachable")  # pragma: no cover


def _analyse(plan: RunPlan, program: MethodProgram, writer: RunFileWriter) -> AnalysisResult:
    """Finish the run's data, analyse the closed file, and add the analysis to it."""
    writer.finish_data()
    result = analyse_run_file(writer.path, plan.method, program.analysis)
    writer.write_analysis(result.metrics.values(), result.assessment, result.process)
    return result


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
    phases = _Phases()
    with ProgressReporter(db, plan.run_id, progress_interval_s) as progress:
        try:
            procedure, writer = _run_in_file(plan, program, connector, path, progress)
        except Exception as exc:
            log.warning("run %s failed: %s", plan.run_id, exc)
            procedure = ProcedureOutcome(Ending.FAILED, f"{type(exc).__name__}: {exc}")
    phases.end("acquisition")
    analysis: AnalysisResult | None = None
    if procedure.ending is Ending.COMPLETED and writer is not None:
        try:
            analysis = _analyse(plan, program, writer)
        except Exception as exc:
            log.warning("run %s: its analysis failed: %s", plan.run_id, exc)
            procedure = ProcedureOutcome(Ending.FAILED, f"the analysis failed: {type(exc).__name__}: {exc}")
    phases.end("analysis")
    digest, rows, procedure = _close(writer, procedure)
    phases.end("closing the file")
    log.info("run %s %s: %s", plan.run_id, procedure.ending.value, phases)
    outcome = RunOutcome.analysed(
        RunStatus(procedure.ending.value),
        analysis if procedure.ending is Ending.COMPLETED else None,
        reason=procedure.reason,
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


def _close(writer: RunFileWriter | None, procedure: ProcedureOutcome) -> tuple[str | None, int, ProcedureOutcome]:
    """Close the run file with the run's status: its digest, the rows it holds, and the run's outcome (failed if
    the file could not be closed: a run is complete only with its final file's digest)."""
    if writer is None:
        return None, 0, procedure
    try:
        digest: str | None = writer.close(procedure.ending.value)
    except Exception as exc:
        log.error("closing the run file failed: %s", exc)
        digest = None
        if procedure.ending is Ending.COMPLETED:
            procedure = ProcedureOutcome(Ending.FAILED, f"closing the run file failed: {type(exc).__name__}: {exc}")
    return digest, max(writer.committed.values(), default=0), procedure

"""A run's lifecycle as stations and engineers move it: claimed, progressing, ended, aborted, interrupted.

Each step is audited, in the caller's write transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, update
from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.db.types import utcnow
from labsys.equipment.models import Instrument
from labsys.errors import Conflict, NotFound
from labsys.runs.analysis import AnalysisResult, analysis_version
from labsys.runs.models import AnalysisTrigger, Run, RunInstrument, RunStatus, Verdict, run_snapshot
from labsys.runs.reservation_use import log_run_end, log_run_start
from labsys.runs.verdicts import metrics_record

__all__ = [
    "ENDED",
    "LeftFile",
    "RunOutcome",
    "claim_next_run",
    "finish_run",
    "held_runs",
    "interrupt_station_runs",
    "record_progress",
    "request_abort",
]

#: Statuses a run never leaves.
ENDED = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.ABORTED, RunStatus.INTERRUPTED})


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended, as its station reports it; with ``analysis`` when it was analysed from its file, which is
    then recorded as version 1 of the run's analyses (``metrics`` and ``verdict`` are that analysis's).
    ``ended_at`` is when it ended if that was before it is recorded (a run its station's stop interrupted), else
    None: now."""

    status: RunStatus
    reason: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    verdict: Verdict | None = None
    hdf5_path: str | None = None
    hdf5_sha256: str | None = None
    rows_committed: int = 0
    analysis: AnalysisResult | None = None
    ended_at: datetime | None = None

    @classmethod
    def analysed(cls, status: RunStatus, analysis: AnalysisResult | None, **facts: Any) -> RunOutcome:
        """The outcome of a run with its analysis (if any): metrics and verdict as the database keeps them."""
        if analysis is None:
            return cls(status, **facts)
        metrics = metrics_record(analysis.metrics, analysis.assessment)
        verdict = Verdict(analysis.assessment.verdict.value)
        return cls(status, metrics=metrics, verdict=verdict, analysis=analysis, **facts)


def claim_next_run(*, session: Session, station: str) -> Run | None:
    """Claim the oldest queued run whose instruments are all cabled to ``station``.

    One atomic ``UPDATE … WHERE status = 'queued'``: when two stations race for a run, the database lets one
    update it and the other finds it no longer queued, so a run is never taken twice.
    """
    foreign = exists().where(
        col(RunInstrument.run_id) == col(Run.id),
        col(RunInstrument.instrument_id) == col(Instrument.id),
        col(Instrument.station) != station,
    )
    candidates = session.exec(
        select(Run.id).where(Run.status == RunStatus.QUEUED, ~foreign).order_by(col(Run.id)).limit(5)
    ).all()
    for run_id in candidates:
        claimed = session.execute(
            update(Run)
            .where(col(Run.id) == run_id, col(Run.status) == RunStatus.QUEUED)
            .values(status=RunStatus.RUNNING, station=station, started_at=utcnow())
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            run = session.get(Run, run_id, populate_existing=True)
            assert run is not None  # noqa: S101 - just updated
            record(
                session,
                actor=Actor(f"station:{station}"),
                action="run.started",
                entity_type="run",
                entity_id=run.id,
                after=run_snapshot(run),
            )
            log_run_start(session, run)
            return run
    return None


def record_progress(
    *, session: Session, run_id: int, progress: float, rows_committed: int, live_preview: dict[str, Any] | None = None
) -> bool:
    """Store a running run's progress (0 to 100 %), committed rows and, if given, a new live preview of its data
    (see :mod:`labsys.stations.live`); return whether an abort was requested."""
    run = session.get(Run, run_id, populate_existing=True)
    if run is None or run.status != RunStatus.RUNNING:
        return True
    run.progress = max(0.0, min(100.0, progress))
    run.rows_committed = rows_committed
    if live_preview is not None:
        run.live_preview = live_preview
    session.add(run)
    return run.abort_requested


def _unended_run(session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id, populate_existing=True)
    if run is None:
        raise NotFound(f"run {run_id} not found")
    if run.status in ENDED:
        raise Conflict(f"run {run_id} already ended as {run.status}")
    return run


def finish_run(*, session: Session, run_id: int, outcome: RunOutcome) -> Run:
    """Record how a run ended: status, reason, data file and digest, metrics and verdict, and its analysis as
    version 1 of the run's analyses (audited); and its end on its reservations, which end with it when it was the
    booking's last work (see :mod:`labsys.runs.reservation_use`).

    Raises:
        NotFound: no such run.
        Conflict: the run already ended.
    """
    run = _unended_run(session, run_id)
    before = run_snapshot(run)
    run.status = outcome.status
    run.failure_reason = outcome.reason
    run.metrics = outcome.metrics
    run.verdict = outcome.verdict
    run.hdf5_path = outcome.hdf5_path or run.hdf5_path
    run.hdf5_sha256 = outcome.hdf5_sha256
    run.rows_committed = outcome.rows_committed
    run.finished_at = outcome.ended_at or utcnow()
    run.live_preview = None  # the closed file is the record now: previews are read from it
    if outcome.status == RunStatus.COMPLETED:
        run.progress = 100.0
    session.add(run)
    if outcome.analysis is not None:
        session.add(
            analysis_version(
                outcome.analysis,
                run_id=run_id,
                version=1,
                triggered_by=AnalysisTrigger.STATION,
                actor=f"station:{run.station}",
                file_sha256=outcome.hdf5_sha256 or "",
            )
        )
    record(
        session,
        actor=Actor(f"station:{run.station}"),
        action=f"run.{outcome.status.value}",
        entity_type="run",
        entity_id=run.id,
        before=before,
        after=run_snapshot(run),
    )
    log_run_end(session, run, actor=Actor(f"station:{run.station}"))
    return run


def request_abort(*, session: Session, run_id: int, actor: Actor) -> Run:
    """Ask for a run to stop: a queued run ends at once, a running one at its procedure's next check.

    Raises:
        NotFound: no such run.
        Conflict: the run already ended.
    """
    run = _unended_run(session, run_id)
    before = run_snapshot(run)
    run.abort_requested = True
    if run.status == RunStatus.QUEUED:
        run.status = RunStatus.ABORTED
        run.failure_reason = f"aborted by {actor.name} before it started"
        run.finished_at = utcnow()
    session.add(run)
    record(
        session,
        actor=actor,
        action="run.abort_requested",
        entity_type="run",
        entity_id=run.id,
        before=before,
        after=run_snapshot(run),
    )
    return run


@dataclass(frozen=True)
class LeftFile:
    """What an interrupted run's file holds, read after its station stopped.

    Attributes:
        rows: The points its longest series holds (as a completed run's ``rows_committed``).
        sha256: The file's SHA-256 as the stop left it; None if there is no file.
        last_written: When its last block was written, or failing that the last moment the run is known to have
            been alive (the file's last change, or the run's start).
    """

    rows: int
    sha256: str | None
    last_written: datetime


def held_runs(*, session: Session, station: str) -> list[Run]:
    """The runs ``station`` holds as running (when it starts: the runs its last stop interrupted)."""
    return list(session.exec(select(Run).where(Run.station == station, Run.status == RunStatus.RUNNING)).all())


def interrupt_station_runs(*, session: Session, station: str, files: Mapping[int, LeftFile] | None = None) -> list[int]:
    """Mark the runs a restarting station held as ``interrupted``, each with what its file holds (``files``, by run
    id: its rows, digest, and the time of its last block, which becomes the run's end)."""
    runs = held_runs(session=session, station=station)
    for run in runs:
        left = (files or {}).get(run.id or 0)
        reason = f"station {station} stopped while the run was in progress"
        if left is not None and left.sha256 is not None:
            reason += f"; its file keeps the {left.rows:,} points written before the stop"
        finish_run(
            session=session,
            run_id=run.id or 0,
            outcome=RunOutcome(
                RunStatus.INTERRUPTED,
                reason=reason,
                hdf5_path=run.hdf5_path,
                hdf5_sha256=left.sha256 if left else None,
                rows_committed=left.rows if left else run.rows_committed,
                ended_at=left.last_written if left else None,
            ),
        )
    return [r.id or 0 for r in runs]

"""Queueing runs, stations claiming them, progress, the end of a run, abort and interruption."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import exists, update
from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.bookings.models import Booking, BookingStatus, Reservation, Sample
from labsys.catalog.models import TestMethod
from labsys.companies.models import Role, User
from labsys.db.types import utcnow
from labsys.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from labsys.registry.models import Instrument
from labsys.runs.models import Run, RunInstrument, RunStatus, Verdict
from labsys.runs.parameters import resolve_parameters
from labsys.runs.schemas import RunCreate

__all__ = [
    "ENDED",
    "RunOutcome",
    "Viewer",
    "claim_next_run",
    "finish_run",
    "get_run",
    "interrupt_station_runs",
    "list_runs",
    "queue_run",
    "record_progress",
    "request_abort",
    "run_instruments",
]

#: Statuses a run never leaves.
ENDED = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.ABORTED, RunStatus.INTERRUPTED})


@dataclass(frozen=True)
class Viewer:
    """Who is looking: staff see every run, a customer only their own company's."""

    is_staff: bool
    company_id: int | None


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended, as its station reports it."""

    status: RunStatus
    reason: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    verdict: Verdict | None = None
    hdf5_path: str | None = None
    hdf5_sha256: str | None = None
    rows_committed: int = 0


def _snapshot(run: Run) -> dict[str, Any]:
    return run.model_dump(include={"id", "booking_id", "sample_id", "status", "station", "verdict", "failure_reason"})


def run_instruments(session: Session, run_id: int) -> list[Instrument]:
    """The instruments a run uses, by asset tag."""
    query = (
        select(Instrument)
        .join(RunInstrument, col(RunInstrument.instrument_id) == col(Instrument.id))
        .where(RunInstrument.run_id == run_id)
        .order_by(col(Instrument.asset_tag))
    )
    return list(session.exec(query).all())


def _booking_instruments(session: Session, booking_id: int) -> list[Instrument]:
    query = (
        select(Instrument)
        .join(Reservation, col(Reservation.instrument_id) == col(Instrument.id))
        .where(Reservation.booking_id == booking_id, col(Reservation.active))
        .order_by(col(Instrument.asset_tag))
    )
    return list(session.exec(query).all())


def _check_engineer(engineer: User, method: TestMethod) -> None:
    if engineer.role != Role.ENGINEER:
        raise PermissionDenied("only an engineer runs a test")
    missing = sorted(set(method.instrument_kinds) - set(engineer.qualifications))
    if missing:
        raise RuleViolation(
            "engineer_qualified", f"{engineer.name} is not qualified to operate {', '.join(missing)}", missing=missing
        )


def _check_instruments(instruments: list[Instrument], method: TestMethod, today: date) -> None:
    kinds = {i.kind for i in instruments}
    if not set(method.instrument_kinds) <= kinds:
        raise Conflict(
            f"the booking holds no reservation for {', '.join(sorted(set(method.instrument_kinds) - kinds))}"
        )
    for instrument in instruments:
        if not instrument.usable_on(today):
            why = "out of calibration" if instrument.status == "in_service" else f"in status {instrument.status}"
            raise RuleViolation(
                "instrument_usable", f"{instrument.asset_tag} is {why}", instrument=instrument.asset_tag
            )


def queue_run(*, session: Session, run_in: RunCreate, engineer: User, actor: Actor, today: date) -> Run:
    """Queue a run of the booking's method on one received sample, for a station to execute.

    Raises:
        NotFound: no such booking, or the sample is not the booking's.
        PermissionDenied: the user is not an engineer.
        RuleViolation: the engineer is not qualified, or an instrument is out of service or calibration.
        Conflict: the booking is not ready for testing (confirmed and its sample received).
        InvalidInput: a parameter outside the method's limits.
    """
    booking = session.get(Booking, run_in.booking)
    if booking is None:
        raise NotFound(f"booking {run_in.booking} not found")
    sample = session.get(Sample, run_in.sample)
    if sample is None or sample.booking_id != booking.id:
        raise NotFound(f"sample {run_in.sample} is not a sample of booking {booking.id}")
    if booking.status not in {BookingStatus.SAMPLE_RECEIVED, BookingStatus.TESTING} or sample.received_at is None:
        raise Conflict(f"booking {booking.id} is {booking.status}: testing starts once its sample is received")
    method = session.get(TestMethod, booking.method_id)
    assert method is not None  # noqa: S101 - a foreign key guarantees it
    _check_engineer(engineer, method)
    instruments = _booking_instruments(session, booking.id or 0)
    _check_instruments(instruments, method, today)
    parameters = resolve_parameters(method.parameters, run_in.parameters)
    assert engineer.id is not None  # noqa: S101 - a stored user
    run = Run(
        booking_id=booking.id or 0,
        sample_id=sample.id or 0,
        method_id=method.id or 0,
        engineer_id=engineer.id,
        parameters=parameters,
    )
    session.add(run)
    session.flush()
    for instrument in instruments:
        session.add(RunInstrument(run_id=run.id or 0, instrument_id=instrument.id or 0))
    if booking.status == BookingStatus.SAMPLE_RECEIVED:
        before = {"status": booking.status}
        booking.status = BookingStatus.TESTING
        booking.updated_at = utcnow()
        session.add(booking)
        record(
            session,
            actor=actor,
            action="booking.testing",
            entity_type="booking",
            entity_id=booking.id,
            before=before,
            after={"status": booking.status},
        )
    session.flush()
    record(session, actor=actor, action="run.queued", entity_type="run", entity_id=run.id, after=_snapshot(run))
    return run


def get_run(*, session: Session, run_id: int, viewer: Viewer) -> Run:
    """The run, if the viewer may see it.

    Raises:
        NotFound: no such run, or it belongs to another company's booking.
    """
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"run {run_id} not found")
    if not viewer.is_staff:
        booking = session.get(Booking, run.booking_id)
        if booking is None or booking.company_id != viewer.company_id:
            raise NotFound(f"run {run_id} not found")
    return run


def list_runs(*, session: Session, viewer: Viewer, booking_id: int | None = None) -> list[Run]:
    """The runs the viewer may see, newest first (of one booking, if given)."""
    query = select(Run).order_by(col(Run.id).desc())
    if booking_id is not None:
        query = query.where(Run.booking_id == booking_id)
    if not viewer.is_staff:
        query = query.join(Booking, col(Booking.id) == col(Run.booking_id)).where(
            Booking.company_id == viewer.company_id
        )
    return list(session.exec(query).all())


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
                after=_snapshot(run),
            )
            _log_reservation_start(session, run)
            return run
    return None


def _log_reservation_start(session: Session, run: Run) -> None:
    for reservation in _run_reservations(session, run):
        if reservation.actual_start is None:
            reservation.actual_start = run.started_at
            session.add(reservation)


def _run_reservations(session: Session, run: Run) -> list[Reservation]:
    query = select(Reservation).where(
        Reservation.booking_id == run.booking_id,
        col(Reservation.instrument_id).in_(select(RunInstrument.instrument_id).where(RunInstrument.run_id == run.id)),
    )
    return list(session.exec(query).all())


def record_progress(*, session: Session, run_id: int, progress: float, rows_committed: int) -> bool:
    """Store a running run's progress (0 to 100 %) and committed rows; return whether an abort was requested."""
    run = session.get(Run, run_id, populate_existing=True)
    if run is None or run.status != RunStatus.RUNNING:
        return True
    run.progress = max(0.0, min(100.0, progress))
    run.rows_committed = rows_committed
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
    """Record how a run ended: status, reason, data file and digest, metrics and verdict (audited).

    Raises:
        NotFound: no such run.
        Conflict: the run already ended.
    """
    run = _unended_run(session, run_id)
    before = _snapshot(run)
    run.status = outcome.status
    run.failure_reason = outcome.reason
    run.metrics = outcome.metrics
    run.verdict = outcome.verdict
    run.hdf5_path = outcome.hdf5_path or run.hdf5_path
    run.hdf5_sha256 = outcome.hdf5_sha256
    run.rows_committed = outcome.rows_committed
    run.finished_at = utcnow()
    if outcome.status == RunStatus.COMPLETED:
        run.progress = 100.0
    session.add(run)
    for reservation in _run_reservations(session, run):
        reservation.actual_end = run.finished_at
        session.add(reservation)
    record(
        session,
        actor=Actor(f"station:{run.station}"),
        action=f"run.{outcome.status.value}",
        entity_type="run",
        entity_id=run.id,
        before=before,
        after=_snapshot(run),
    )
    return run


def request_abort(*, session: Session, run_id: int, actor: Actor) -> Run:
    """Ask for a run to stop: a queued run ends at once, a running one at its procedure's next check.

    Raises:
        NotFound: no such run.
        Conflict: the run already ended.
    """
    run = _unended_run(session, run_id)
    before = _snapshot(run)
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
        after=_snapshot(run),
    )
    return run


def interrupt_station_runs(*, session: Session, station: str) -> list[int]:
    """Mark the runs a restarting station held as ``interrupted``; their data stays readable."""
    runs = session.exec(select(Run).where(Run.station == station, Run.status == RunStatus.RUNNING)).all()
    for run in runs:
        finish_run(
            session=session,
            run_id=run.id or 0,
            outcome=RunOutcome(
                RunStatus.INTERRUPTED,
                reason=f"station {station} stopped while the run was in progress",
                hdf5_path=run.hdf5_path,
                rows_committed=run.rows_committed,
            ),
        )
    return [r.id or 0 for r in runs]

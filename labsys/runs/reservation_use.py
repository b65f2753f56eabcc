"""A booking's reservations follow its runs: they record when the work really started and ended, and end with it.

A booking may have several samples, each run in turn on the same reservation, so the reservation ends only when no
sample is left to run: every sample has a completed run and no run of the booking is queued or running. A failed,
aborted or interrupted run leaves its sample to run again, and the reservation keeps its booked span for that re-run.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from labsys.audit import Actor, record
from labsys.bookings.models import Sample
from labsys.runs.models import Run, RunInstrument, RunStatus
from labsys.scheduling.models import Reservation
from labsys.scheduling.reservations import end_with_use

__all__ = ["log_run_end", "log_run_start", "work_done"]

#: A run in these states is still to end.
_UNENDED = (RunStatus.QUEUED, RunStatus.RUNNING)


def _run_reservations(session: Session, run: Run) -> list[Reservation]:
    query = select(Reservation).where(
        Reservation.booking_id == run.booking_id,
        col(Reservation.instrument_id).in_(select(RunInstrument.instrument_id).where(RunInstrument.run_id == run.id)),
    )
    return list(session.exec(query).all())


def log_run_start(session: Session, run: Run) -> None:
    """Record the run's start on its reservations, unless a run of the booking started on them before."""
    for reservation in _run_reservations(session, run):
        if reservation.actual_start is None:
            reservation.actual_start = run.started_at
            session.add(reservation)


def work_done(session: Session, booking_id: int) -> bool:
    """Whether no sample of the booking is left to run: each has a completed run, and no run is queued or running."""
    session.flush()
    unended = session.exec(
        select(func.count()).select_from(Run).where(Run.booking_id == booking_id, col(Run.status).in_(_UNENDED))
    ).one()
    if unended:
        return False
    completed = select(Run.sample_id).where(Run.booking_id == booking_id, Run.status == RunStatus.COMPLETED)
    left = session.exec(
        select(func.count())
        .select_from(Sample)
        .where(Sample.booking_id == booking_id, col(Sample.id).not_in(completed))
    ).one()
    return left == 0


def _snapshot(reservation: Reservation) -> dict[str, Any]:
    return reservation.model_dump(mode="json")


def log_run_end(session: Session, run: Run, *, actor: Actor) -> list[Reservation]:
    """Record the run's end on its reservations; if it was the booking's last work, end the booking's reservations
    then (see :func:`~labsys.scheduling.reservations.end_with_use`), each step audited as ``reservation.ended``.

    Returns the reservations that ended early.
    """
    assert run.finished_at is not None  # noqa: S101 - the caller ended the run
    for reservation in _run_reservations(session, run):
        reservation.actual_end = run.finished_at
        session.add(reservation)
    if not work_done(session, run.booking_id):
        return []
    before = {
        r.id: _snapshot(r) for r in session.exec(select(Reservation).where(Reservation.booking_id == run.booking_id))
    }
    shrunk = end_with_use(session, run.booking_id, run.finished_at)
    for reservation in shrunk:
        record(
            session,
            actor=actor,
            action="reservation.ended",
            entity_type="reservation",
            entity_id=reservation.id,
            before=before[reservation.id],
            after={**_snapshot(reservation), "booking_id": run.booking_id, "last_run_id": run.id},
        )
    return shrunk

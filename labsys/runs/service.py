"""The run service: what the API asks of runs, one transaction per call; a run's file is read after it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from labsys.companies.accounts import Account
from labsys.companies.service import get_user
from labsys.db import Database
from labsys.db.types import utcnow
from labsys.runs.data import IN_PROGRESS, check_points, live_preview, run_file, run_preview
from labsys.runs.lifecycle import request_abort
from labsys.runs.models import RunCreate, RunLive, RunPublic, RunsPublic
from labsys.runs.queries import count_runs, get_run, list_runs
from labsys.runs.queueing import queue_run
from labsys.runs.views import run_public
from labsys.timeutil import lab_today

__all__ = ["RunFile", "RunService"]


@dataclass(frozen=True)
class RunFile:
    """A run's HDF5 file on disk, and the SHA-256 recorded when it was closed."""

    path: Path
    sha256: str


class RunService:
    """Runs: engineers queue and abort them; owners and staff follow them and read their data.

    Args:
        db: the lab's database.
        data_dir: the lab's data folder, where run files live.
        zone: the lab's time zone ("today" for calibrations).
    """

    def __init__(self, db: Database, data_dir: Path, zone: ZoneInfo) -> None:
        self._db = db
        self._data_dir = data_dir
        self._zone = zone

    def queue(self, run_in: RunCreate, *, by: Account) -> RunPublic:
        """Queue a run of a booking's method on one received sample; a station executes it.

        Raises:
            NotFound, PermissionDenied, RuleViolation, Conflict, InvalidInput: see
                :func:`~labsys.runs.queueing.queue_run`.
        """
        with self._db.writing() as session:
            engineer = get_user(session, by.id)
            run = queue_run(
                session=session,
                run_in=run_in,
                engineer=engineer,
                actor=by.actor,
                today=lab_today(self._zone),
                now=utcnow(),
                zone=self._zone,
            )
            return run_public(session, run)

    def list_runs(self, *, viewer: Account, booking_id: int | None = None) -> list[RunPublic]:
        """The runs the viewer may see, newest first; of one booking, if given."""
        with self._db.reading() as session:
            runs = list_runs(session=session, company_id=viewer.company_scope, booking_id=booking_id)
            return [run_public(session, run) for run in runs]

    def runs_page(self, *, viewer: Account, limit: int, offset: int = 0) -> RunsPublic:
        """A page of the runs the viewer may see, newest first, and how many there are in all."""
        scope = viewer.company_scope
        with self._db.reading() as session:
            runs = list_runs(session=session, company_id=scope, limit=limit, offset=offset)
            data = [run_public(session, run) for run in runs]
            return RunsPublic(data=data, count=count_runs(session=session, company_id=scope))

    def get(self, run_id: int, *, viewer: Account) -> RunPublic:
        """A run's status, progress, metrics and verdict.

        Raises:
            NotFound: no such run, or another company's.
        """
        with self._db.reading() as session:
            return run_public(session, get_run(session=session, run_id=run_id, company_id=viewer.company_scope))

    def abort(self, run_id: int, *, by: Account) -> RunPublic:
        """Ask a run to stop (see :func:`~labsys.runs.lifecycle.request_abort`)."""
        with self._db.writing() as session:
            return run_public(session, request_abort(session=session, run_id=run_id, actor=by.actor))

    def data_file(self, run_id: int, *, viewer: Account) -> RunFile:
        """The run's HDF5 file, once the run has ended.

        Raises:
            NotFound: no such run, another company's, or it wrote no file.
            Conflict: the run is still queued or running.
        """
        with self._db.reading() as session:
            run = get_run(session=session, run_id=run_id, company_id=viewer.company_scope)
        return RunFile(run_file(run, self._data_dir), run.hdf5_sha256 or "")

    def live(self, run_id: int, *, viewer: Account) -> RunLive:
        """Where the run is now, and its live preview while it runs: what a page following it polls.

        Raises:
            NotFound: no such run, or another company's.
        """
        with self._db.reading() as session:
            run = get_run(session=session, run_id=run_id, company_id=viewer.company_scope)
            in_progress = run.status in IN_PROGRESS
            return RunLive(
                id=run_id,
                status=run.status,
                progress=run.progress,
                rows_committed=run.rows_committed,
                verdict=run.verdict,
                preview=live_preview(run) if in_progress else None,
            )

    def preview(self, run_id: int, *, viewer: Account, series: str | None, points: int) -> dict[str, Any]:
        """A min/max-decimated series of the run's data for a plot: once the run has ended, read from its file
        after the transaction; while it is queued or running, the live preview its station last stored (at most a
        few hundred points, whatever ``points`` and ``series`` ask; ``"live": true``).

        Raises:
            NotFound: no such run, another company's, or it ended without a file.
            InvalidInput: ``points`` out of range, or no such series.
        """
        check_points(points)
        with self._db.reading() as session:
            run = get_run(session=session, run_id=run_id, company_id=viewer.company_scope)
        if run.status in IN_PROGRESS:
            return live_preview(run)
        return run_preview(run_file(run, self._data_dir), series=series, points=points)

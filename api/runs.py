"""Runs: engineers queue and abort them; owners and staff follow them and fetch their data."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import File
from litestar.status_codes import HTTP_202_ACCEPTED

from api.auth import Principal, requires
from api.state import DB, lab_state
from labsys.companies.models import Role
from labsys.companies.service import get_user
from labsys.runs import service
from labsys.runs.data import run_file, run_preview
from labsys.runs.schemas import RunCreate, RunPublic
from labsys.runs.service import Viewer
from labsys.runs.views import describe_run
from labsys.timeutil import lab_today

__all__ = ["RunController"]

_engineer = requires(Role.ENGINEER)


def _viewer(request: Request[Principal, Any, Any]) -> Viewer:
    return Viewer(is_staff=request.user.is_staff, company_id=request.user.company_id)


class RunController(Controller):
    """``/api/runs``."""

    path = "/api/runs"
    tags = ["runs"]

    @post("/", guards=[_engineer], status_code=HTTP_202_ACCEPTED, sync_to_thread=True)
    def queue_run(self, data: JSONBody[RunCreate], db: DB, request: Request[Principal, Any, Any]) -> RunPublic:
        """Queue a run of a booking's method on one of its received samples; a station executes it (202)."""
        engineer = get_user(session=db, user_id=request.user.id)
        today = lab_today(lab_state(request.app.state).settings.zone)
        run = service.queue_run(session=db, run_in=data, engineer=engineer, actor=request.user.actor, today=today)
        return describe_run(db, run)

    @get("/", sync_to_thread=True)
    def list_runs(
        self, db: DB, request: Request[Principal, Any, Any], booking: FromQuery[int | None] = None
    ) -> list[RunPublic]:
        """The runs the caller may see, newest first; ``booking`` narrows them to one booking."""
        runs = service.list_runs(session=db, viewer=_viewer(request), booking_id=booking)
        return [describe_run(db, run) for run in runs]

    @get("/{run_id:int}", sync_to_thread=True)
    def get_run(self, run_id: FromPath[int], db: DB, request: Request[Principal, Any, Any]) -> RunPublic:
        """A run's status, progress, metrics and verdict (another company's run answers 404)."""
        return describe_run(db, service.get_run(session=db, run_id=run_id, viewer=_viewer(request)))

    @post("/{run_id:int}/abort", guards=[_engineer], status_code=HTTP_202_ACCEPTED, sync_to_thread=True)
    def abort_run(self, run_id: FromPath[int], db: DB, request: Request[Principal, Any, Any]) -> RunPublic:
        """Ask the run to stop; the station ends it safely, instruments' outputs off, data so far kept."""
        run = service.request_abort(session=db, run_id=run_id, actor=request.user.actor)
        return describe_run(db, run)

    @get("/{run_id:int}/data", sync_to_thread=True)
    def download_data(self, run_id: FromPath[int], db: DB, request: Request[Principal, Any, Any]) -> File:
        """The run's HDF5 file, streamed from disk; its SHA-256 is in the ``X-Content-SHA256`` header."""
        run = service.get_run(session=db, run_id=run_id, viewer=_viewer(request))
        path = run_file(run, lab_state(request.app.state).settings.data_dir)
        return File(
            path,
            filename=f"run-{run_id}.h5",
            media_type="application/x-hdf5",
            headers={"X-Content-SHA256": run.hdf5_sha256 or ""},
        )

    @get("/{run_id:int}/preview", sync_to_thread=True)
    def preview(
        self,
        run_id: FromPath[int],
        db: DB,
        request: Request[Principal, Any, Any],
        points: FromQuery[int] = 1000,
        series: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        """A min/max-decimated series for a plot (``points`` between 2 and 20,000), read chunk by chunk."""
        run = service.get_run(session=db, run_id=run_id, viewer=_viewer(request))
        path = run_file(run, lab_state(request.app.state).settings.data_dir)
        return run_preview(path, series=series, points=points)

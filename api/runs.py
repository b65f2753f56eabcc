"""Runs: engineers queue and abort them; owners and staff follow them and fetch their data."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import ResponseHeader
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import File
from litestar.security.jwt import Token
from litestar.status_codes import HTTP_202_ACCEPTED

from api.auth import requires
from api.state import Runs
from labsys.bounds import DB_INT_MAX
from labsys.companies.accounts import Account
from labsys.companies.models import Role
from labsys.runs.data import MAX_PREVIEW_POINTS
from labsys.runs.models import RunCreate, RunPublic

__all__ = ["HDF5", "SHA256_HEADER", "RunController"]

_engineer = requires(Role.ENGINEER)

#: A run file's media type.
HDF5 = "application/x-hdf5"
#: The header that carries a file's SHA-256, as the run's (or the certificate's) record holds it.
SHA256_HEADER = ResponseHeader(
    name="X-Content-SHA256",
    value="",  # documented as a string; each answer sets its own
    description="the file's SHA-256 in hex, as the lab's records hold it",
    documentation_only=True,
)

SignedIn = Request[Account, Token, Any]


class RunController(Controller):
    """``/api/runs``."""

    path = "/api/runs"
    tags = ["runs"]

    @post("/", guards=[_engineer], status_code=HTTP_202_ACCEPTED, sync_to_thread=True)
    def queue_run(self, data: JSONBody[RunCreate], run_service: Runs, request: SignedIn) -> RunPublic:
        """Queue a run of a booking's method on one of its received samples; a station executes it (202)."""
        return run_service.queue(data, by=request.user)

    @get("/", sync_to_thread=True)
    def list_runs(
        self,
        run_service: Runs,
        request: SignedIn,
        booking: Annotated[
            int | None, QueryParameter(ge=1, le=DB_INT_MAX, description="only this booking's runs")
        ] = None,
    ) -> list[RunPublic]:
        """The runs the caller may see, newest first; ``booking`` narrows them to one booking."""
        return run_service.list_runs(viewer=request.user, booking_id=booking)

    @get("/{run_id:int}", sync_to_thread=True)
    def get_run(self, run_id: FromPath[int], run_service: Runs, request: SignedIn) -> RunPublic:
        """A run's status, progress, metrics and verdict (another company's run answers 404)."""
        return run_service.get(run_id, viewer=request.user)

    @post("/{run_id:int}/abort", guards=[_engineer], status_code=HTTP_202_ACCEPTED, sync_to_thread=True)
    def abort_run(self, run_id: FromPath[int], run_service: Runs, request: SignedIn) -> RunPublic:
        """Ask the run to stop; the station ends it safely, instruments' outputs off, data so far kept."""
        return run_service.abort(run_id, by=request.user)

    @get(
        "/{run_id:int}/data",
        sync_to_thread=True,
        media_type=HDF5,
        content_media_type=HDF5,
        response_headers=[SHA256_HEADER],
    )
    def download_data(self, run_id: FromPath[int], run_service: Runs, request: SignedIn) -> File:
        """The run's HDF5 file, streamed from disk; its SHA-256 is in the ``X-Content-SHA256`` header."""
        found = run_service.data_file(run_id, viewer=request.user)
        return File(
            found.path,
            filename=f"run-{run_id}.h5",
            media_type=HDF5,
            headers={"X-Content-SHA256": found.sha256},
        )

    @get("/{run_id:int}/preview", sync_to_thread=True)
    def preview(
        self,
        run_id: FromPath[int],
        run_service: Runs,
        request: SignedIn,
        points: Annotated[int, QueryParameter(ge=2, le=MAX_PREVIEW_POINTS)] = 1000,
        series: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        """A min/max-decimated series for a plot (``points`` between 2 and 20,000), read chunk by chunk from the
        run's file; while the run is queued or running, the live preview its station last stored (``live``)."""
        return run_service.preview(run_id, viewer=request.user, series=series, points=points)

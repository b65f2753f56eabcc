"""A run's data through the session: the preview a plot draws, and the HDF5 file as a plain download link."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.params import FromPath, FromQuery
from litestar.response import File

from api.pages.runs.words import labelled_preview
from api.pages.viewer import Person
from api.state import Runs

__all__ = ["RunFiles"]


class RunFiles(Controller):
    """``/runs/{id}/preview`` and ``/runs/{id}/data``."""

    include_in_schema = False

    @get("/runs/{run_id:int}/preview", sync_to_thread=True)
    def preview(
        self,
        run_id: FromPath[int],
        person: Person,
        run_service: Runs,
        points: FromQuery[int] = 1000,
        series: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        """The min/max preview of the run's data (the file's once the run ended, the station's live one while it
        runs), with its axes' labels in the page's language."""
        return labelled_preview(run_service.preview(run_id, viewer=person, series=series, points=points))

    @get("/runs/{run_id:int}/data", sync_to_thread=True)
    def data(self, run_id: FromPath[int], person: Person, run_service: Runs) -> File:
        """The run's HDF5 file, once the run has ended; its SHA-256 is in the ``X-Content-SHA256`` header."""
        found = run_service.data_file(run_id, viewer=person)
        return File(
            found.path,
            filename=f"run-{run_id}.h5",
            media_type="application/x-hdf5",
            headers={"X-Content-SHA256": found.sha256},
        )

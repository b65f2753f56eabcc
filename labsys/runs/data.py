"""A run's HDF5 file, as the API serves it: where it is, and previews for plots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labsys.errors import Conflict, InvalidInput, NotFound
from labsys.runs.models import Run, RunStatus
from results.hdf5 import InvalidRunDataError, open_run, preview

__all__ = [
    "IN_PROGRESS",
    "MAX_PREVIEW_POINTS",
    "check_points",
    "live_preview",
    "run_file",
    "run_file_path",
    "run_preview",
]

#: A preview is for a plot: more points than a screen has pixels is waste.
MAX_PREVIEW_POINTS = 20_000

#: A run in these statuses has no closed file yet: its previews are the station's live ones.
IN_PROGRESS = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})


def run_file_path(data_dir: Path, run_id: int) -> Path:
    """Where a run's HDF5 file lives in the data folder."""
    return data_dir / "runs" / f"run-{run_id:06d}.h5"


def run_file(run: Run, data_dir: Path) -> Path:
    """The run's HDF5 file, once the run has ended (a file being written is never served).

    Raises:
        Conflict: the run is still queued or running.
        NotFound: the run wrote no file.
    """
    if run.status in IN_PROGRESS:
        raise Conflict(f"run {run.id} is {run.status}: its data is served once it ends; follow its progress")
    path = data_dir / run.hdf5_path if run.hdf5_path else None
    if path is None or not path.is_file():
        raise NotFound(f"run {run.id} has no data file")
    return path


def _default_series(path: Path) -> str:
    info = open_run(path)
    if info.waveforms:
        return f"waveforms/{info.waveforms[0].name}"
    if info.signal:
        return f"data/{info.signal}"
    raise NotFound("the run's file holds no data series")


def check_points(points: int) -> None:
    """Check the number of points asked of a preview.

    Raises:
        InvalidInput: ``points`` out of range.
    """
    if not 2 <= points <= MAX_PREVIEW_POINTS:
        raise InvalidInput("points", f"points must lie between 2 and {MAX_PREVIEW_POINTS}")


def live_preview(run: Run) -> dict[str, Any]:
    """The preview of a run in progress, as its station last stored it (no points yet: empty series), marked
    ``"live": true``; the same keys as :func:`run_preview`."""
    empty: dict[str, Any] = {"series": "", "x": [], "y_min": [], "y_max": [], "x_units": "", "y_units": ""}
    return {**empty, "source_points": 0, **(run.live_preview or {}), "live": True}


def run_preview(path: Path, *, series: str | None, points: int) -> dict[str, Any]:
    """A min/max-decimated series for plotting: ``points // 2`` buckets, each with its smallest and largest y.

    Raises:
        InvalidInput: ``points`` out of range, or no such series in the file.
    """
    check_points(points)
    name = series or _default_series(path)
    try:
        result = preview(path, name, points)
    except (KeyError, InvalidRunDataError) as exc:
        raise InvalidInput("series", f"the run's file has no series {name!r}") from exc
    return {
        "series": result.series,
        "x": result.x.tolist(),
        "y_min": result.y_min.tolist(),
        "y_max": result.y_max.tolist(),
        "x_units": result.x_units,
        "y_units": result.y_units,
        "source_points": result.source_points,
        "live": False,
    }

"""Min/max-decimated previews of data columns and waveforms, for plotting a run of any length.

For each of about ``points / 2`` buckets of consecutive samples the preview holds the bucket's x (mean of
the axis column for data, bucket centre time for waveforms) and the min and max y in the bucket, so spikes
survive decimation. Data is read chunk by chunk: memory stays flat. Waveforms (a record's raw codes, scaled
by its CF attributes) use the min/max pyramid stored at write time (``/entry/preview/<name>/minmax_<b>``):
a 100 M-point waveform previews from a few hundred kB.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import numpy.typing as npt

from results.hdf5 import layout
from results.hdf5.buckets import bucket_edges, reduce_buckets
from results.hdf5.model import InvalidRunDataError

__all__ = ["DEFAULT_PREVIEW_POINTS", "Preview", "preview"]

DEFAULT_PREVIEW_POINTS = 2000
#: A pyramid level is used when a bucket spans at least this many of its blocks (keeps buckets near-equal).
_MIN_BLOCKS_PER_BUCKET = 4


@dataclass(frozen=True, slots=True)
class Preview:
    """A decimated series: per bucket, its x and the min and max of y.

    Attributes:
        series: ``data/<column>`` or ``waveforms/<name>``.
        x: Bucket x (float64), in ``x_units``.
        y_min: Smallest y in each bucket, in ``y_units``.
        y_max: Largest y in each bucket, in ``y_units``.
        x_units: Units of ``x`` (``""`` for row numbers).
        y_units: Units of ``y_min`` and ``y_max``.
        source_points: Points in the stored series.
    """

    series: str
    x: npt.NDArray[np.float64]
    y_min: npt.NDArray[np.float64]
    y_max: npt.NDArray[np.float64]
    x_units: str
    y_units: str
    source_points: int

    def polyline(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """``(x, y)`` with each bucket drawn as its min then its max at the bucket's x (2 points per bucket)."""
        return np.repeat(self.x, 2), np.column_stack([self.y_min, self.y_max]).ravel()


def preview(path: str | Path, series: str, points: int = DEFAULT_PREVIEW_POINTS) -> Preview:
    """Decimate a data column or waveform to about ``points`` points (min and max per bucket).

    Args:
        path: The run file.
        series: ``data/<column>``, ``waveforms/<name>``, or a bare name if it is unambiguous.
        points: Wanted number of points (>= 2); the preview has ``points // 2`` buckets or fewer.

    Raises:
        InvalidRunDataError: If the series does not exist or is ambiguous, or ``points`` < 2.
    """
    if points < 2:
        raise InvalidRunDataError(f"a preview needs at least 2 points, got {points}")
    with h5py.File(path, "r") as file:
        key = _series_key(file, series)
        if key.startswith(f"{layout.DATA}/"):
            return _column_preview(file, key, points // 2)
        return _waveform_preview(file, key, points // 2)


def _series_key(file: h5py.File, series: str) -> str:
    if series.startswith(("data/", "waveforms/")):
        candidates = [f"entry/{series}"]
    else:
        candidates = [f"{layout.DATA}/{series}", f"{layout.WAVEFORMS}/{series}"]
    found = [key for key in candidates if key in file]
    if len(found) != 1:
        raise InvalidRunDataError(f"series {series!r} is {'ambiguous' if found else 'not in the file'}")
    return found[0]


def _column_preview(file: h5py.File, key: str, buckets: int) -> Preview:
    dataset = file[key]
    group = dataset.parent
    rows = int(dataset.shape[0])
    axis_name = str(group.attrs["axes"])
    axis = group[axis_name]
    rows = min(rows, int(axis.shape[0]))
    edges = bucket_edges(rows, buckets)
    y_min, y_max = reduce_buckets(dataset, edges, rows, [(np.minimum, None), (np.maximum, None)])
    (x_sum,) = reduce_buckets(axis, edges, rows, [(np.add, None)])
    counts = np.diff(np.append(edges, rows)).astype(np.float64)
    return Preview(
        series=key.removeprefix("entry/"),
        x=x_sum / counts,
        y_min=y_min,
        y_max=y_max,
        x_units=str(axis.attrs.get("units", "")),
        y_units=str(dataset.attrs.get("units", "")),
        source_points=rows,
    )


def _pyramid_level(file: h5py.File, name: str, samples: int, buckets: int) -> h5py.Dataset | None:
    group = file.get(f"{layout.PREVIEW}/{name}")
    if group is None:
        return None
    span = samples / max(buckets, 1)
    usable = [b for b in layout.PYRAMID_BLOCKS if b * _MIN_BLOCKS_PER_BUCKET <= span]
    for block in reversed(usable):
        level = group.get(layout.pyramid_name(block))
        if level is not None and level.shape[0] > 0:
            return level
    return None


def _waveform_preview(file: h5py.File, key: str, buckets: int) -> Preview:
    dataset = layout.waveform_codes(file[key])
    attrs = dataset.attrs
    samples = int(dataset.shape[0])
    level = _pyramid_level(file, key.rsplit("/", 1)[1], samples, buckets)
    if level is None:
        starts = bucket_edges(samples, buckets)
        raw_min, raw_max = reduce_buckets(dataset, starts, samples, [(np.minimum, None), (np.maximum, None)])
    else:
        starts, raw_min, raw_max = _pyramid_buckets(dataset, level, samples, buckets)
    scale, offset = float(attrs["scale_factor"]), float(attrs["add_offset"])
    low, high = raw_min * scale + offset, raw_max * scale + offset
    centres = (starts + np.append(starts[1:], samples) - 1) / 2.0
    return Preview(
        series=key.removeprefix("entry/"),
        x=float(attrs["t0"]) + float(attrs["dt"]) * centres,
        y_min=np.minimum(low, high),  # a negative scale factor swaps min and max
        y_max=np.maximum(low, high),
        x_units=str(attrs["time_units"]),
        y_units=layout.waveform_units(dataset),
        source_points=samples,
    )


def _pyramid_buckets(
    dataset: h5py.Dataset, level: h5py.Dataset, samples: int, buckets: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    block = int(level.attrs["block_points"])
    rows = min(int(level.shape[0]), -(-samples // block))
    edges = bucket_edges(rows, buckets)
    raw_min, raw_max = reduce_buckets(level, edges, rows, [(np.minimum, 0), (np.maximum, 1)])
    covered = min(rows * block, samples)
    if covered < samples:
        # A killed writer's pyramid lags its flushed samples by less than one block: fold the tail in.
        tail = dataset[covered:samples]
        raw_min[-1] = min(raw_min[-1], float(tail.min()))
        raw_max[-1] = max(raw_max[-1], float(tail.max()))
    return edges * block, raw_min, raw_max

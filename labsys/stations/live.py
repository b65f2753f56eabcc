"""What a run's page plots while the run is in progress: a small min/max preview of the data so far.

It is built from the station's in-memory copy of the data (:attr:`RunFileSink.kept`), never from the HDF5 file
being written, and has the shape of the file's preview (:func:`labsys.runs.data.run_preview`), so one plot draws
both. Rows are folded into buckets as they arrive (each row is read once, however long the run); a waveform
record is decimated once, when it arrives.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from procedures.sink import MemorySink

__all__ = ["LIVE_PREVIEW_BUCKETS", "LivePreview", "RowBuckets"]

#: Buckets of a live preview, each drawn as its min and max: at most 400 points on the page.
LIVE_PREVIEW_BUCKETS = 200

Floats = npt.NDArray[np.float64]


def _finite(values: Floats) -> list[float | None]:
    """The values for JSON: a missing reading is null, not ``NaN`` (which JSON has no word for)."""
    return [v if math.isfinite(v) else None for v in values.tolist()]


class RowBuckets:
    """Min/max buckets over rows that arrive block by block: every bucket holds ``size`` rows but the last,
    and when the rows outgrow ``limit`` buckets, neighbouring buckets merge (``size`` doubles)."""

    def __init__(self, limit: int = LIVE_PREVIEW_BUCKETS) -> None:
        self.limit = limit
        self.size = 1
        self.rows = 0
        self.x_sum: Floats = np.empty(0)
        self.count: Floats = np.empty(0)
        self.y_min: Floats = np.empty(0)
        self.y_max: Floats = np.empty(0)

    def add(self, x: Floats, y: Floats) -> None:
        """Fold a block of rows in: ``x`` on the axis, ``y`` the signal (equally long)."""
        n = min(x.size, y.size)
        if n == 0:
            return
        while -(-(self.rows + n) // self.size) > self.limit:
            self._merge_pairs()
        start = self._fill_last(x, y, n)
        if start < n:
            edges = np.arange(start, n, self.size)
            self.x_sum = np.append(self.x_sum, np.add.reduceat(x[start:n], edges - start))
            self.count = np.append(self.count, np.diff(np.append(edges, n)).astype(np.float64))
            self.y_min = np.append(self.y_min, np.minimum.reduceat(y[start:n], edges - start))
            self.y_max = np.append(self.y_max, np.maximum.reduceat(y[start:n], edges - start))
        self.rows += n

    def _fill_last(self, x: Floats, y: Floats, n: int) -> int:
        """Top up the last bucket if it is not full; the number of rows used."""
        if self.count.size == 0 or self.count[-1] >= self.size:
            return 0
        used = min(n, self.size - int(self.count[-1]))
        self.x_sum[-1] += float(x[:used].sum())
        self.count[-1] += used
        self.y_min[-1] = min(float(self.y_min[-1]), float(y[:used].min()))
        self.y_max[-1] = max(float(self.y_max[-1]), float(y[:used].max()))
        return used

    def _merge_pairs(self) -> None:
        pairs = np.arange(0, self.count.size, 2)
        if pairs.size:
            self.x_sum = np.add.reduceat(self.x_sum, pairs)
            self.count = np.add.reduceat(self.count, pairs)
            self.y_min = np.minimum.reduceat(self.y_min, pairs)
            self.y_max = np.maximum.reduceat(self.y_max, pairs)
        self.size *= 2

    def bucket_x(self) -> Floats:
        """Each bucket's x: the mean of its rows' axis values (as the file's preview has it)."""
        return self.x_sum / np.maximum(self.count, 1.0)


def _waveform_preview(sink: MemorySink, name: str, buckets: int) -> dict[str, Any] | None:
    blocks = sink.waveforms[name]
    raw = np.concatenate([b.raw for b in blocks]) if len(blocks) > 1 else blocks[0].raw
    if raw.size == 0:
        return None
    first = blocks[0]
    edges = np.unique(np.floor(np.linspace(0, raw.size, min(buckets, raw.size) + 1)).astype(np.int64)[:-1])
    low = np.minimum.reduceat(raw, edges).astype(np.float64) * first.scale + first.offset
    high = np.maximum.reduceat(raw, edges).astype(np.float64) * first.scale + first.offset
    centres = (edges + np.append(edges[1:], raw.size) - 1) / 2.0
    return {
        "series": f"waveforms/{name}",
        "x": _finite(first.t0 + first.dt * centres),
        "y_min": _finite(np.minimum(low, high)),  # a negative scale swaps min and max
        "y_max": _finite(np.maximum(low, high)),
        "x_units": "s",
        "y_units": first.y_units,
        "source_points": int(raw.size),
    }


class LivePreview:
    """The live preview of one run, kept up to date from the station's in-memory copy of its data.

    The preview is of the method's signal against its axis (rows), or of the latest waveform record. Call
    :meth:`update` from one thread only (the station's progress reporter); the procedure appends meanwhile.
    """

    def __init__(self, buckets: int = LIVE_PREVIEW_BUCKETS) -> None:
        self.buckets = buckets
        self._rows = RowBuckets(buckets)
        self._blocks_seen = 0
        self._waveform_seen: tuple[str, int] | None = None

    def update(self, sink: MemorySink) -> dict[str, Any] | None:
        """The preview if data arrived since the last call, else None."""
        names = list(sink.waveforms)
        if names:
            latest = (names[-1], len(sink.waveforms[names[-1]]))
            if latest == self._waveform_seen:
                return None
            self._waveform_seen = latest
            return _waveform_preview(sink, latest[0], self.buckets)
        arrived = len(sink.blocks)
        if arrived == self._blocks_seen or not sink.signal:
            return None
        for block in sink.blocks[self._blocks_seen : arrived]:
            self._rows.add(block[sink.axis], block[sink.signal])
        self._blocks_seen = arrived
        return {
            "series": f"data/{sink.signal}",
            "x": _finite(self._rows.bucket_x()),
            "y_min": _finite(self._rows.y_min),
            "y_max": _finite(self._rows.y_max),
            "x_units": sink.columns.get(sink.axis, ""),
            "y_units": sink.columns.get(sink.signal, ""),
            "source_points": self._rows.rows,
        }

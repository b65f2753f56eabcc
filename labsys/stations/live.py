"""What a run's page plots while the run is in progress: a small min/max preview of the data so far.

The station's sink hands each block to a :class:`LivePreview` as it writes it to the run file; the file being
written is never read. It keeps no copy of the data: rows wait, as the few columns the preview plots, until the
progress reporter folds them into buckets (each row is read once, however long the run); a waveform block is
reduced to its buckets' min and max when it arrives, and the raw samples are not kept. The preview has the
shape of the file's (:func:`labsys.runs.data.run_preview`), so one plot draws both.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

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

    def add(self, x: Floats | None, y: npt.NDArray[Any]) -> None:
        """Fold a block of rows in: ``x`` on the axis (``None``: the rows' numbers), ``y`` the signal."""
        n = y.size if x is None else min(x.size, y.size)
        if n == 0:
            return
        while -(-(self.rows + n) // self.size) > self.limit:
            self._merge_pairs()
        start = self._fill_last(x, y, n)
        if start < n:
            edges = np.arange(start, n, self.size)
            counts = np.diff(np.append(edges, n))
            self.x_sum = np.append(self.x_sum, self._sums(x, edges, counts, n))
            self.count = np.append(self.count, counts.astype(np.float64))
            self.y_min = np.append(self.y_min, np.minimum.reduceat(y[start:n], edges - start))
            self.y_max = np.append(self.y_max, np.maximum.reduceat(y[start:n], edges - start))
        self.rows += n

    def _sums(self, x: Floats | None, edges: npt.NDArray[np.int64], counts: npt.NDArray[np.int64], n: int) -> Floats:
        """The sum of ``x`` in each bucket from ``edges``; of the rows' numbers if there is no ``x``."""
        if x is not None:
            sums: Floats = np.add.reduceat(x[edges[0] : n], edges - edges[0])
            return sums
        first = (self.rows + edges).astype(np.float64)
        return (2.0 * first + counts - 1.0) * counts / 2.0

    def _fill_last(self, x: Floats | None, y: npt.NDArray[Any], n: int) -> int:
        """Top up the last bucket if it is not full; the number of rows used."""
        if self.count.size == 0 or self.count[-1] >= self.size:
            return 0
        used = min(n, self.size - int(self.count[-1]))
        self.x_sum[-1] += float(x[:used].sum()) if x is not None else (2.0 * self.rows + used - 1.0) * used / 2.0
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


@dataclass
class _Record:
    """A waveform record as it arrives: its scaling, and the min and max of its raw codes per bucket."""

    scale: float
    offset: float
    t0: float
    dt: float
    y_units: str
    buckets: RowBuckets
    blocks: int = 0

    def preview(self, name: str) -> dict[str, Any]:
        low = self.buckets.y_min * self.scale + self.offset
        high = self.buckets.y_max * self.scale + self.offset
        return {
            "series": f"waveforms/{name}",
            "x": _finite(self.t0 + self.dt * self.buckets.bucket_x()),
            "y_min": _finite(np.minimum(low, high)),  # a negative scale swaps min and max
            "y_max": _finite(np.maximum(low, high)),
            "x_units": "s",
            "y_units": self.y_units,
            "source_points": self.buckets.rows,
        }


@dataclass
class _Rows:
    """The columns of a run's rows, and the blocks of the plotted two the reporter has not folded in yet."""

    columns: dict[str, str] = field(default_factory=dict)
    axis: str = ""
    signal: str = ""
    waiting: list[tuple[Floats, Floats]] = field(default_factory=list)


class LivePreview:
    """The live preview of one run, fed block by block by the station's sink as it writes the run file.

    The preview is of the method's signal against its axis (rows), or of the latest waveform record. The sink
    calls :meth:`define_columns`, :meth:`add_rows` and :meth:`add_waveform` from the procedure's thread;
    :meth:`update` is called from one other thread (the station's progress reporter).
    """

    def __init__(self, buckets: int = LIVE_PREVIEW_BUCKETS) -> None:
        self.buckets = buckets
        self._lock = threading.Lock()
        self._rows = _Rows()
        self._row_buckets = RowBuckets(buckets)
        self._records: dict[str, _Record] = {}
        self._record_seen: tuple[str, int] | None = None

    def define_columns(self, columns: dict[str, str], *, axis: str, signal: str) -> None:
        """The run's columns (name → units), its axis and its signal."""
        with self._lock:
            self._rows = _Rows(dict(columns), axis, signal)

    def add_rows(self, rows: dict[str, Floats]) -> None:
        """A block of rows arrived: its axis and signal wait for the next update."""
        with self._lock:
            if self._rows.signal:
                axis, signal = self._rows.axis, self._rows.signal
                self._rows.waiting.append((np.asarray(rows[axis], np.float64), np.asarray(rows[signal], np.float64)))

    def add_waveform(
        self,
        name: str,
        raw: npt.NDArray[np.integer],
        *,
        scale: float,
        offset: float,
        t0: float,
        dt: float,
        y_units: str,
    ) -> None:
        """A block of a waveform record arrived: its raw codes are folded into the record's buckets now."""
        with self._lock:
            record = self._records.get(name)
            if record is None:
                record = _Record(scale, offset, t0, dt, y_units, RowBuckets(self.buckets))
                self._records[name] = record
            record.buckets.add(None, np.asarray(raw))
            record.blocks += 1

    def update(self) -> dict[str, Any] | None:
        """The preview if data arrived since the last call, else None."""
        with self._lock:
            if self._records:
                name = next(reversed(self._records))
                record = self._records[name]
                if (name, record.blocks) == self._record_seen or record.buckets.rows == 0:
                    return None
                self._record_seen = (name, record.blocks)
                return record.preview(name)
            waiting, self._rows.waiting = self._rows.waiting, []
            rows = self._rows
        if not waiting:
            return None
        for x, y in waiting:
            self._row_buckets.add(x, y)
        return {
            "series": f"data/{rows.signal}",
            "x": _finite(self._row_buckets.bucket_x()),
            "y_min": _finite(self._row_buckets.y_min),
            "y_max": _finite(self._row_buckets.y_max),
            "x_units": rows.columns.get(rows.axis, ""),
            "y_units": rows.columns.get(rows.signal, ""),
            "source_points": self._row_buckets.rows,
        }

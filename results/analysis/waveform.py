"""Waveforms as an analysis reads them: equally spaced samples fetched range by range, never whole.

A :class:`Waveform` is anything that gives its samples ``[start, stop)`` in physical units on request: a record
in a run file (:class:`results.hdf5.StoredWaveform`), the sample-by-sample mean of several records
(:class:`RecordMean`), or an array in memory (:class:`SampledArray`). An analysis that walks a waveform in
chunks of :data:`CHUNK_POINTS` holds a few chunks whatever the record's length.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["CHUNK_POINTS", "ChunkCache", "RecordMean", "SampledArray", "Waveform", "chunk_ranges"]

FloatArray = npt.NDArray[np.float64]

#: Samples an analysis reads at a time: 512 KiB of float64 values.
CHUNK_POINTS = 1 << 16


class Waveform(Protocol):
    """Equally spaced samples: sample ``i`` is at ``t0 + i * dt`` (s), its value in ``units``."""

    @property
    def length(self) -> int:
        """Number of samples."""
        ...

    @property
    def t0(self) -> float:
        """Time of sample 0, in s."""
        ...

    @property
    def dt(self) -> float:
        """Sample interval, in s (positive)."""
        ...

    @property
    def units(self) -> str:
        """Units of the values."""
        ...

    def read(self, start: int, stop: int) -> FloatArray:
        """Samples ``[start, stop)`` (clipped to the waveform) as float64 values in ``units``."""
        ...


def chunk_ranges(start: int, stop: int, size: int) -> Iterator[tuple[int, int]]:
    """``[start, stop)`` cut into consecutive ranges of ``size`` samples (the last may be shorter)."""
    for first in range(start, stop, size):
        yield first, min(first + size, stop)


@dataclass(frozen=True)
class SampledArray:
    """A waveform held in memory (short records, tests)."""

    values: FloatArray
    t0: float
    dt: float
    units: str = "V"

    @property
    def length(self) -> int:
        """Number of samples."""
        return int(self.values.size)

    def read(self, start: int, stop: int) -> FloatArray:
        """Samples ``[start, stop)`` as float64."""
        return np.asarray(self.values[start:stop], dtype=np.float64)


class RecordMean:
    """The sample-by-sample mean of records that share one time axis (repeated acquisitions of one event).

    Each record's samples are scaled by its own units' conversion before averaging; only the range asked for is
    read from each record.

    Raises:
        ValueError: If no record is given, or the records differ in length, t0, dt or units.
    """

    def __init__(self, records: Sequence[Waveform]) -> None:
        if not records:
            raise ValueError("a mean of records needs at least one record")
        first = records[0]
        axis = (first.length, first.t0, first.dt, first.units)
        for record in records[1:]:
            if (record.length, record.t0, record.dt, record.units) != axis:
                raise ValueError("records averaged together must share length, t0, dt and units")
        self.records = tuple(records)
        self.length, self.t0, self.dt, self.units = axis

    def read(self, start: int, stop: int) -> FloatArray:
        """The mean of every record's samples ``[start, stop)``."""
        total = np.array(self.records[0].read(start, stop), dtype=np.float64)
        for record in self.records[1:]:
            total += record.read(start, stop)
        if len(self.records) > 1:
            total /= len(self.records)
        return total


class ChunkCache:
    """Reads a waveform on a fixed grid of chunks and keeps the last few, so that ranges read again soon after
    (two windows sliding a little apart) come from memory.

    Args:
        waveform: The waveform read.
        chunk_points: The grid: chunk ``k`` holds samples ``[k * chunk_points, (k + 1) * chunk_points)``.
        keep: How many chunks are kept.
    """

    def __init__(self, waveform: Waveform, chunk_points: int = CHUNK_POINTS, keep: int = 4) -> None:
        self.waveform = waveform
        self.chunk_points = chunk_points
        self.keep = keep
        self._chunks: OrderedDict[int, FloatArray] = OrderedDict()

    def _chunk(self, index: int) -> FloatArray:
        chunk = self._chunks.pop(index, None)
        if chunk is None:
            first = index * self.chunk_points
            chunk = self.waveform.read(first, first + self.chunk_points)
            while len(self._chunks) >= self.keep:
                self._chunks.popitem(last=False)
        self._chunks[index] = chunk
        return chunk

    def read(self, start: int, stop: int) -> FloatArray:
        """Samples ``[start, stop)`` (clipped to the waveform)."""
        stop = min(stop, self.waveform.length)
        if stop <= start:
            return np.empty(0)
        first, last = start // self.chunk_points, (stop - 1) // self.chunk_points
        offset = start - first * self.chunk_points
        if first == last:
            return self._chunk(first)[offset : offset + stop - start]
        pieces = [self._chunk(index) for index in range(first, last + 1)]
        return np.concatenate(pieces)[offset : offset + stop - start]

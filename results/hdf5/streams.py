"""Buffered block appends to resizable 1-D datasets, and the min/max preview pyramid of a waveform.

Rows arrive in any size; they are buffered and written as one block once a chunk's worth has gathered (or
the buffer is older than the writer's age limit), never sample by sample. Nothing here flushes the file:
the writer flushes once per block for every stream it touched, then counts the block as committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import h5py
import numpy as np
import numpy.typing as npt

__all__ = ["BlockStream", "MinMaxPyramid", "create_stream_dataset"]


def create_stream_dataset(
    group: h5py.Group, name: str, dtype: npt.DTypeLike, chunk_points: int, *, gzip: bool
) -> h5py.Dataset:
    """Create an empty, resizable, chunked 1-D dataset (gzip level 1 + shuffle only if asked)."""
    options: dict[str, object] = {"compression": "gzip", "compression_opts": 1, "shuffle": True} if gzip else {}
    return group.create_dataset(name, shape=(0,), maxshape=(None,), dtype=dtype, chunks=(chunk_points,), **options)


@dataclass
class BlockStream:
    """A 1-D dataset fed in blocks through an in-memory buffer.

    Attributes:
        dataset: The resizable dataset.
        block_points: Buffer size at which a block is due (one chunk).
        written: Points written to the dataset (flushed or not).
        committed: Points written *and* flushed: what survives a kill.
    """

    dataset: h5py.Dataset
    block_points: int
    written: int = 0
    committed: int = 0
    _pending: list[npt.NDArray[np.generic]] = field(default_factory=list)
    _pending_points: int = 0

    @property
    def pending_points(self) -> int:
        """Points buffered in memory, not yet written."""
        return self._pending_points

    def add(self, values: npt.NDArray[np.generic]) -> None:
        """Buffer ``values`` (a 1-D array of the dataset's dtype); copies so the caller may reuse its array."""
        if values.size:
            self._pending.append(np.array(values, copy=True))
            self._pending_points += values.size

    def take(self) -> npt.NDArray[np.generic] | None:
        """Remove and return the buffered points as one array (``None`` if none)."""
        if not self._pending:
            return None
        block = self._pending[0] if len(self._pending) == 1 else np.concatenate(self._pending)
        self._pending.clear()
        self._pending_points = 0
        return block

    def write(self, block: npt.NDArray[np.generic]) -> None:
        """Append ``block`` to the dataset: one resize, one write."""
        start = self.written
        self.dataset.resize((start + block.size,))
        self.dataset[start : start + block.size] = block
        self.written = start + block.size

    def mark_committed(self) -> None:
        """Record that everything written so far has been flushed."""
        self.committed = self.written


@dataclass
class _Level:
    dataset: h5py.Dataset
    block_points: int
    count: int = 0


class MinMaxPyramid:
    """Min and max of every block of raw samples, at several block sizes, appended as the waveform grows.

    Each level ``b`` is an ``(N, 2)`` dataset of the raw dtype: row ``i`` holds the min and max of raw samples
    ``[i*b, (i+1)*b)``. Samples short of a full block wait in memory; :meth:`finish` writes the partial last
    block, so a finished pyramid covers every sample and a killed one covers a prefix of the flushed data.
    """

    def __init__(self, group: h5py.Group, dtype: np.dtype[np.generic], blocks: tuple[int, ...]) -> None:
        """Create one empty dataset per block size in ``group`` (sizes ascending, each a multiple of the first)."""
        self._levels = [
            _Level(
                group.create_dataset(f"minmax_{b}", shape=(0, 2), maxshape=(None, 2), dtype=dtype, chunks=(32768, 2)),
                b,
            )
            for b in blocks
        ]
        for level in self._levels:
            level.dataset.attrs["block_points"] = level.block_points
        self._carry = np.empty(0, dtype=dtype)
        # Finest rows not yet reduced into every coarser level; row 0 is finest row number _finest_offset.
        self._finest_rows = np.empty((0, 2), dtype=dtype)
        self._finest_offset = 0

    def feed(self, raw: npt.NDArray[np.generic]) -> None:
        """Reduce the full blocks of ``raw`` (after any carried samples) and append them to every level."""
        finest = self._levels[0].block_points
        if self._carry.size:
            head = finest - self._carry.size
            self._carry = np.concatenate([self._carry, raw[:head]])
            raw = raw[head:]
            if self._carry.size < finest:
                return
            self._append_finest(self._carry.reshape(1, -1))
            self._carry = self._carry[:0]
        full = raw.size - raw.size % finest
        if full:
            self._append_finest(raw[:full].reshape(-1, finest))
        self._carry = np.array(raw[full:], copy=True)

    def finish(self) -> None:
        """Write the partial last block of every level, so the pyramid covers every sample."""
        if self._carry.size:
            self._append_finest(self._carry.reshape(1, -1))
            self._carry = self._carry[:0]
        for level in self._levels[1:]:
            self._reduce_level(level, final=True)

    def _append_finest(self, blocks: npt.NDArray[np.generic]) -> None:
        rows = np.stack([blocks.min(axis=1), blocks.max(axis=1)], axis=1)
        self._append(self._levels[0], rows)
        self._finest_rows = np.concatenate([self._finest_rows, rows])
        for level in self._levels[1:]:
            self._reduce_level(level, final=False)
        finest = self._levels[0].block_points
        consumed = min(
            (lv.count * (lv.block_points // finest) for lv in self._levels[1:]), default=self._levels[0].count
        )
        self._finest_rows = self._finest_rows[consumed - self._finest_offset :]
        self._finest_offset = consumed

    def _reduce_level(self, level: _Level, *, final: bool) -> None:
        ratio = level.block_points // self._levels[0].block_points
        start = level.count * ratio - self._finest_offset
        available = self._finest_rows[start:]
        usable = available.shape[0] if final else available.shape[0] - available.shape[0] % ratio
        if usable == 0:
            return
        edges = np.arange(0, usable, ratio)
        rows = np.stack(
            [np.minimum.reduceat(available[:usable, 0], edges), np.maximum.reduceat(available[:usable, 1], edges)],
            axis=1,
        )
        self._append(level, rows)

    @staticmethod
    def _append(level: _Level, rows: npt.NDArray[np.generic]) -> None:
        level.dataset.resize((level.count + rows.shape[0], 2))
        level.dataset[level.count :] = rows
        level.count += rows.shape[0]

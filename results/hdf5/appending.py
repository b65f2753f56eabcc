"""Append a run's data columns and waveform records in blocks, and commit each block with a flush.

Each append answers the committed count (points written *and* flushed) so the station can store it: that count,
not the dataset's length, is what the run is known to hold. Buffered points are written once a chunk has
gathered or the buffer has grown older than the age limit, so a slow sweep still commits about once a second.

Waveforms are stored as the raw integers the digitiser delivered, scaled by the CF / netCDF convention
``physical = raw * scale_factor + add_offset`` (attributes ``scale_factor``, ``add_offset``,
``physical_units``), each record an NXdata group with the time of every sample (``t0 + i * dt``) as its axis,
written block by block with the samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TypeAlias

import h5py
import numpy as np
import numpy.typing as npt

from results.hdf5.channels import RunSeries, WaveformScaling, column_block, create_columns, create_waveform
from results.hdf5.model import InvalidRunDataError
from results.hdf5.streams import BlockStream

__all__ = ["BlockAppender", "Writing"]

#: Wraps one write, naming what is written, so that a failure is reported (and remembered) by the writer.
Writing: TypeAlias = Callable[[str], AbstractContextManager[None]]


class BlockAppender:
    """The columns and waveform records of one open run file, appended in blocks.

    Args:
        file: The open run file.
        gzip: Compress new datasets with gzip level 1 + shuffle.
        max_block_age_s: Buffered points older than this (s) are written with the next append.
        writing: Wraps each write with what it writes (see :data:`Writing`).
    """

    def __init__(self, file: h5py.File, *, gzip: bool, max_block_age_s: float, writing: Writing) -> None:
        self._file = file
        self._gzip = gzip
        self._writing = writing
        self._series = RunSeries(max_block_age_s)

    @property
    def columns(self) -> dict[str, BlockStream]:
        """Column streams by name, in defined order."""
        return self._series.columns

    @property
    def committed(self) -> dict[str, int]:
        """Committed (flushed) points per dataset, keyed ``data/<column>`` and ``waveforms/<name>``."""
        return self._series.committed

    def define_columns(self, columns: Mapping[str, str], *, axis: str | None, signal: str | None) -> None:
        """Create the float64 columns (name → units) once, and flush.

        Raises:
            InvalidRunDataError: If columns were already defined, none are given, or axis/signal is unknown.
        """
        if self.columns:
            raise InvalidRunDataError("columns are defined once per run file")
        self.columns.update(create_columns(self._file, columns, axis=axis, signal=signal, gzip=self._gzip))
        self._file.flush()

    def append_rows(self, rows: Mapping[str, npt.ArrayLike] | npt.ArrayLike) -> int:
        """Buffer rows (by column, or a 2-D block in column order), commit if a block is due, answer rows committed.

        Raises:
            InvalidRunDataError: If no columns are defined or the rows do not match them.
        """
        if not self.columns:
            raise InvalidRunDataError("define_columns() must be called before append_rows()")
        block = column_block(list(self.columns), rows)
        for name, values in block.items():
            self.columns[name].add(values)
        self._series.note_pending()
        first = next(iter(self.columns.values()))
        if first.pending_points >= first.block_points or self._series.pending_too_old():
            self.commit()
        return first.committed

    def append_waveform(self, name: str, samples: npt.NDArray[np.integer], scaling: WaveformScaling) -> int:
        """Append raw samples to record ``name`` (created on the first call), answer its points committed.

        A block of at least a chunk with nothing buffered is written at once, without a copy.

        Raises:
            InvalidRunDataError: If the samples are not a 1-D integer array, or dtype or scaling changed.
        """
        if samples.ndim != 1 or not np.issubdtype(samples.dtype, np.integer):
            raise InvalidRunDataError(f"waveform {name!r}: raw samples must be a 1-D integer array")
        wave = self._series.waveforms.get(name)
        if wave is None:
            wave = create_waveform(self._file, name, samples.dtype, scaling, gzip=self._gzip)
            self._series.waveforms[name] = wave
        if wave.scaling != scaling or wave.stream.dataset.dtype != samples.dtype:
            raise InvalidRunDataError(f"waveform {name!r}: dtype, scaling and time axis must not change")
        stream = wave.stream
        if stream.pending_points == 0 and samples.size >= stream.block_points:
            with self._writing(f"waveform {name!r}"):
                wave.write(samples)
            self.commit()
        else:
            stream.add(samples)
            self._series.note_pending()
            if stream.pending_points >= stream.block_points or self._series.pending_too_old():
                self.commit()
        return stream.committed

    def commit(self) -> None:
        """Write every buffered block, flush, and count it committed."""
        with self._writing("block"):
            self._series.commit(self._file)

    def finish(self) -> None:
        """Commit what is buffered and complete every record's min/max preview."""
        self.commit()
        with self._writing("preview pyramid"):
            self._series.finish_previews(self._file)

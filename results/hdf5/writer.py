"""Write one NeXus-compatible HDF5 file per run, block by block, so that a killed station loses one block.

Crash safety (measured, see NOTES.md): the file is opened with the default ``libver`` (not ``latest``, not SWMR)
and flushed after every block. A kill -9 then leaves a file that stock h5py and ``h5dump`` open, holding every
block flushed before the kill. Each append returns the committed count (points written *and* flushed) so the
station can store it: that count, not the dataset's length, is what the run is known to hold.

Waveforms are stored as the raw integers the digitiser delivered, scaled by the CF / netCDF convention
``physical = raw * scale_factor + add_offset`` (attributes ``scale_factor``, ``add_offset``,
``physical_units``), each record an NXdata group with the time of every sample (``t0 + i * dt``) as its axis,
written block by block with the samples. The layout is in :mod:`results.hdf5.layout`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import h5py
import numpy as np
import numpy.typing as npt

from results.hdf5 import layout
from results.hdf5.channels import (
    WaveformScaling,
    WaveformSeries,
    column_block,
    create_columns,
    create_waveform,
)
from results.hdf5.integrity import sha256_file
from results.hdf5.model import (
    InstrumentInfo,
    InvalidRunDataError,
    Quantity,
    RunEntry,
    RunFileError,
    RunFileWriteError,
    RunStatus,
    SampleInfo,
    StoredAssessment,
    StoredMetric,
    require_utc,
)
from results.hdf5.streams import BlockStream

__all__ = ["SOFTWARE_NAME", "RunFileWriter"]

SOFTWARE_NAME = "labsys"


class RunFileWriter:
    """Writer of one run file; build it with :meth:`create`, end it with :meth:`close`.

    Not thread-safe: one thread writes a run file. Usable as a context manager: leaving the block closes the
    file with status ``completed``, or ``failed`` if an exception escaped.
    """

    def __init__(self, file: h5py.File, path: Path, *, gzip: bool, max_block_age_s: float) -> None:
        """Wrap an open file whose metadata is written; use :meth:`create` instead."""
        self._file = file
        self._path = path
        self._gzip = gzip
        self._max_block_age_s = max_block_age_s
        self._columns: dict[str, BlockStream] = {}
        self._waveforms: dict[str, WaveformSeries] = {}
        self._pending_since: float | None = None
        self._failure: BaseException | None = None
        self._sha256: str | None = None

    @classmethod
    def create(
        cls,
        path: str | Path,
        entry: RunEntry,
        sample: SampleInfo,
        instruments: Iterable[InstrumentInfo],
        parameters: Mapping[str, Quantity],
        *,
        gzip: bool = False,
        max_block_age_s: float = 1.0,
    ) -> RunFileWriter:
        """Create a new run file with its metadata and status ``running``.

        Args:
            path: Where to create the file; it must not exist (a run file is never overwritten).
            entry: Run metadata for ``/entry``.
            sample: The item tested.
            instruments: Instruments used, one group each.
            parameters: Exact parameter values with units.
            gzip: Compress data with gzip level 1 + shuffle (stock HDF5 reads it; much slower than disk).
            max_block_age_s: Buffered rows older than this (s) are written with the next append, so a slow
                sweep still commits about once a second.

        Raises:
            FileExistsError: If ``path`` exists.
            InvalidRunDataError: If a name cannot name an HDF5 object or a value has no HDF5 form.
        """
        target = Path(path)
        # Default libver on purpose: libver="latest" and SWMR files did not open after a kill -9 (NOTES.md).
        file = h5py.File(target, "x")
        try:
            layout.write_entry(file, entry, SOFTWARE_NAME)
            layout.write_sample(file, sample)
            layout.write_instruments(file, instruments)
            layout.write_parameters(file, dict(parameters))
            file.create_group(layout.WAVEFORMS, track_order=True).attrs["NX_class"] = "NXcollection"
            file.create_group(layout.PREVIEW).attrs["NX_class"] = "NXcollection"
            file.flush()
        except BaseException:
            file.close()
            target.unlink()
            raise
        return cls(file, target, gzip=gzip, max_block_age_s=max_block_age_s)

    @property
    def path(self) -> Path:
        """The run file."""
        return self._path

    @property
    def committed(self) -> dict[str, int]:
        """Committed (flushed) points per dataset, keyed ``data/<column>`` and ``waveforms/<name>``."""
        counts = {f"data/{name}": stream.committed for name, stream in self._columns.items()}
        counts.update({f"waveforms/{name}": wave.stream.committed for name, wave in self._waveforms.items()})
        return counts

    def define_columns(self, columns: Mapping[str, str], *, axis: str | None = None, signal: str | None = None) -> None:
        """Declare the data columns (float64) once, in order, with their units.

        Args:
            columns: Column name → units, e.g. ``{"voltage": "V", "current": "A"}``.
            axis: The x column (NXdata ``axes``); default the first column.
            signal: The plotted column (NXdata ``signal``); default the second column, or the only one.

        Raises:
            InvalidRunDataError: If columns were already defined, none are given, or axis/signal is unknown.
        """
        self._check_open()
        if self._columns:
            raise InvalidRunDataError("columns are defined once per run file")
        self._columns = create_columns(self._file, columns, axis=axis, signal=signal, gzip=self._gzip)
        self._file.flush()

    def append_rows(self, rows: Mapping[str, npt.ArrayLike] | npt.ArrayLike) -> int:
        """Buffer rows and write them as a block once a chunk has gathered or the buffer is old.

        Args:
            rows: Either column name → 1-D values (every defined column, equal lengths), or a 2-D array of
                shape (n, number of columns) in the order the columns were defined.

        Returns:
            Rows committed (written and flushed) so far.

        Raises:
            InvalidRunDataError: If the rows do not match the defined columns.
            RunFileWriteError: If writing failed; the file keeps every block flushed before.
        """
        self._check_open()
        if not self._columns:
            raise InvalidRunDataError("define_columns() must be called before append_rows()")
        block = column_block(list(self._columns), rows)
        for name, values in block.items():
            self._columns[name].add(values)
        self._note_pending()
        first = next(iter(self._columns.values()))
        if first.pending_points >= first.block_points or self._pending_too_old():
            self._commit()
        return first.committed

    def append_waveform(
        self,
        name: str,
        raw: npt.NDArray[np.integer],
        *,
        scale: float,
        offset: float,
        t0: float,
        dt: float,
        y_units: str,
        t_units: str = "s",
    ) -> int:
        """Append a block of raw ADC integers to waveform ``name`` (created on the first call).

        The physical value of a sample is ``raw * scale + offset`` in ``y_units`` (CF ``scale_factor``,
        ``add_offset``); sample ``i`` is at time ``t0 + i * dt`` in ``t_units``. Later calls for the same name
        must repeat the same dtype, scaling and time axis.

        Returns:
            Points of this waveform committed (written and flushed) so far.

        Raises:
            InvalidRunDataError: If ``raw`` is not a 1-D integer array, or the scaling differs from before.
            RunFileWriteError: If writing failed; the file keeps every block flushed before.
        """
        self._check_open()
        samples = np.asarray(raw)
        if samples.ndim != 1 or not np.issubdtype(samples.dtype, np.integer):
            raise InvalidRunDataError(f"waveform {name!r}: raw samples must be a 1-D integer array")
        scaling = WaveformScaling(float(scale), float(offset), float(t0), float(dt), y_units, t_units)
        wave = self._waveforms.get(name)
        if wave is None:
            wave = create_waveform(self._file, name, samples.dtype, scaling, gzip=self._gzip)
            self._waveforms[name] = wave
        if wave.scaling != scaling or wave.stream.dataset.dtype != samples.dtype:
            raise InvalidRunDataError(f"waveform {name!r}: dtype, scaling and time axis must not change")
        stream = wave.stream
        if stream.pending_points == 0 and samples.size >= stream.block_points:
            with self._writing(f"waveform {name!r}"):
                wave.write(samples)
            self._commit()
        else:
            stream.add(samples)
            self._note_pending()
            if stream.pending_points >= stream.block_points or self._pending_too_old():
                self._commit()
        return stream.committed

    def flush(self) -> dict[str, int]:
        """Write every buffered row and sample now, flush, and return :attr:`committed`."""
        self._check_open()
        self._commit()
        return self.committed

    def write_analysis(self, metrics: Iterable[StoredMetric], assessment: StoredAssessment | None = None) -> None:
        """Write ``/entry/analysis``: metrics with U, k and units, and the verdicts if assessed (once per run).

        Args:
            metrics: The metrics, e.g. an analysis's ``Metric`` values.
            assessment: The statement of conformity, e.g. an analysis's ``Assessment``; ``None`` if not judged.

        Raises:
            InvalidRunDataError: If the analysis was written before or a verdict names an unknown metric.
        """
        self._check_open()
        with self._writing("analysis"):
            layout.write_analysis_group(self._file, metrics, assessment)
            self._file.flush()

    def close(self, status: RunStatus | str = RunStatus.COMPLETED, *, end_time: datetime | None = None) -> str:
        """Commit what is buffered, write status and end time, close, fsync and hash the file.

        After an earlier write failure only status and end time are attempted (buffered data is dropped); if
        the last block cannot be written, the status becomes ``failed`` and the error is raised after closing.

        Args:
            status: Final run status (not ``running``).
            end_time: When the run ended (UTC); default now.

        Returns:
            SHA-256 of the closed file, 64 lowercase hex digits.

        Raises:
            RunFileError: If the file is already closed.
            InvalidRunDataError: If the status is ``running`` or unknown, or the end time is not UTC.
            RunFileWriteError: If the final writes failed (the file handle is closed anyway).
        """
        self._check_not_closed()
        final = RunStatus(status)
        if final is RunStatus.RUNNING:
            raise InvalidRunDataError("a run file is closed with a final status, not 'running'")
        ended = require_utc(end_time or datetime.now(UTC), "end_time")
        data_error: RunFileWriteError | None = None
        try:
            if self._failure is None:
                try:
                    self._finish_streams()
                except RunFileWriteError as error:
                    data_error, final = error, RunStatus.FAILED
            with self._writing("status"):
                entry = self._file[layout.ENTRY]
                entry["status"][()] = final.value
                entry.create_dataset("end_time", data=layout.iso_utc(ended))
                self._file.flush()
        finally:
            self._file.close()
            self._sha256 = ""
        if data_error is not None:
            raise data_error
        with self._path.open("rb+") as handle:
            os.fsync(handle.fileno())
        self._sha256 = sha256_file(self._path)
        return self._sha256

    def __enter__(self) -> Self:
        """Return the writer itself."""
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close with ``failed`` if an exception escaped, else ``completed`` (unless closed already)."""
        if self._sha256 is None:
            self.close(RunStatus.FAILED if exc_type is not None else RunStatus.COMPLETED)

    # -- internals -------------------------------------------------------------------------------------------

    def _note_pending(self) -> None:
        if self._pending_since is None:
            self._pending_since = time.monotonic()

    def _pending_too_old(self) -> bool:
        since = self._pending_since
        return since is not None and time.monotonic() - since >= self._max_block_age_s

    def _finish_streams(self) -> None:
        self._commit()
        with self._writing("preview pyramid"):
            for wave in self._waveforms.values():
                wave.pyramid.finish()
            self._file.flush()

    def _commit(self) -> None:
        with self._writing("block"):
            for stream in self._columns.values():
                if (block := stream.take()) is not None:
                    stream.write(block)
            for wave in self._waveforms.values():
                if (samples := wave.stream.take()) is not None:
                    wave.write(samples)
            self._file.flush()
        self._pending_since = None
        for stream in self._columns.values():
            stream.mark_committed()
        for wave in self._waveforms.values():
            wave.stream.mark_committed()

    @contextlib.contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        try:
            yield
        except RunFileError:
            raise
        except Exception as error:
            self._failure = error
            raise RunFileWriteError(f"writing {what} to {self._path} failed: {error}", self.committed) from error

    def _check_not_closed(self) -> None:
        if self._sha256 is not None:
            raise RunFileError(f"run file {self._path} is already closed")

    def _check_open(self) -> None:
        self._check_not_closed()
        if self._failure is not None:
            raise RunFileError(f"run file {self._path} failed earlier ({self._failure}); close it as failed")

"""Write one NeXus-compatible HDF5 file per run, block by block, so that a killed station loses one block.

Crash safety (measured, see NOTES.md): the file is opened with the default ``libver`` (not ``latest``, not SWMR)
and flushed after every block. A kill -9 then leaves a file that stock h5py and ``h5dump`` open, holding every
block flushed before the kill. The writer keeps the file's lifecycle and its guards: :mod:`results.hdf5.run_file`
makes the file, :mod:`results.hdf5.appending` appends columns and waveform records (each append answers the
committed count a station stores), :mod:`results.hdf5.sealing` ends and hashes it; the layout is
:mod:`results.hdf5.layout`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import h5py
import numpy as np
import numpy.typing as npt

from results.hdf5.appending import BlockAppender
from results.hdf5.channels import WaveformScaling
from results.hdf5.model import (
    AnalysisProcess,
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
from results.hdf5.process import write_analysis_group
from results.hdf5.run_file import SOFTWARE_NAME, create_run_file, reopen_run_file
from results.hdf5.sealing import seal_run_file, write_run_end

__all__ = ["SOFTWARE_NAME", "RunFileWriter"]


class RunFileWriter:
    """Writer of one run file; build it with :meth:`create`, end it with :meth:`close`.

    A run that is analysed from its file ends in three steps: :meth:`finish_data` closes the data (the file can
    then be read), :meth:`write_analysis` re-opens it to add the analysis, and :meth:`close` writes the status
    and hashes it. Not thread-safe: one thread writes a run file. Usable as a context manager: leaving the block
    closes the file with status ``completed``, or ``failed`` if an exception escaped.
    """

    def __init__(self, file: h5py.File, path: Path, *, gzip: bool, max_block_age_s: float) -> None:
        """Wrap an open file whose metadata is written; use :meth:`create` instead."""
        self._file = file
        self._path = path
        self._blocks = BlockAppender(file, gzip=gzip, max_block_age_s=max_block_age_s, writing=self._writing)
        self._failure: BaseException | None = None
        self._sha256: str | None = None
        self._data_ended: datetime | None = None  # set by finish_data: the file is closed for reading

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
        file = create_run_file(target, entry, sample, instruments, parameters)
        return cls(file, target, gzip=gzip, max_block_age_s=max_block_age_s)

    @property
    def path(self) -> Path:
        """The run file."""
        return self._path

    @property
    def committed(self) -> dict[str, int]:
        """Committed (flushed) points per dataset, keyed ``data/<column>`` and ``waveforms/<name>``."""
        return self._blocks.committed

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
        self._blocks.define_columns(columns, axis=axis, signal=signal)

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
        return self._blocks.append_rows(rows)

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
        scaling = WaveformScaling(float(scale), float(offset), float(t0), float(dt), y_units, t_units)
        return self._blocks.append_waveform(name, samples, scaling)

    def flush(self) -> dict[str, int]:
        """Write every buffered row and sample now, flush, and return :attr:`committed`."""
        self._check_open()
        self._blocks.commit()
        return self.committed

    def finish_data(self, *, end_time: datetime | None = None) -> dict[str, int]:
        """Commit what is buffered, complete the previews and close the file, so that the run's data can be read
        (analysed) from it. The file still says ``running`` and is not hashed until :meth:`close`.

        Args:
            end_time: When the measurement ended (UTC); default now. :meth:`close` writes it.

        Returns:
            Points committed per dataset (:attr:`committed`).

        Raises:
            RunFileError: If the data was finished or the file closed before, or a write failed earlier.
            RunFileWriteError: If the last writes failed; the file is closed, :meth:`close` marks it failed.
        """
        self._check_open()
        self._data_ended = require_utc(end_time or datetime.now(UTC), "end_time")
        try:
            self._blocks.finish()
        finally:
            self._file.close()
        return self.committed

    def write_analysis(
        self,
        metrics: Iterable[StoredMetric],
        assessment: StoredAssessment | None = None,
        process: AnalysisProcess | None = None,
    ) -> None:
        """Write ``/entry/analysis`` once: the process (program, version, date, inputs), the metrics with U, k,
        units and budgets, and the verdicts if assessed. After :meth:`finish_data` the file is re-opened for it.

        Args:
            metrics: The metrics, e.g. an analysis's ``Metric`` values.
            assessment: The statement of conformity, e.g. an analysis's ``Assessment``; ``None`` if not judged.
            process: What produced the analysis; ``None`` writes the metrics alone.

        Raises:
            InvalidRunDataError: If the analysis was written before or a verdict names an unknown metric.
            RunFileWriteError: If writing failed.
        """
        self._check_not_closed()
        self._check_not_failed()
        with self._writing("analysis"):
            self._reopen()
            write_analysis_group(self._file, metrics, assessment, process)
            self._file.flush()

    def close(self, status: RunStatus | str = RunStatus.COMPLETED, *, end_time: datetime | None = None) -> str:
        """Commit what is buffered, write status and end time, close, fsync and hash the file.

        After an earlier write failure only status and end time are attempted (buffered data is dropped); if
        the last block cannot be written, the status becomes ``failed`` and the error is raised after closing.

        Args:
            status: Final run status (not ``running``).
            end_time: When the run ended (UTC); default the end :meth:`finish_data` recorded, else now.

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
        ended = require_utc(end_time or self._data_ended or datetime.now(UTC), "end_time")
        data_error: RunFileWriteError | None = None
        try:
            if self._failure is None and self._data_ended is None:
                try:
                    self._blocks.finish()
                except RunFileWriteError as error:
                    data_error, final = error, RunStatus.FAILED
            with self._writing("status"):
                self._reopen()
                write_run_end(self._file, final, ended)
        finally:
            self._file.close()
            self._sha256 = ""
        if data_error is not None:
            raise data_error
        self._sha256 = seal_run_file(self._path)
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

    def _check_not_failed(self) -> None:
        if self._failure is not None:
            raise RunFileError(f"run file {self._path} failed earlier ({self._failure}); close it as failed")

    def _check_open(self) -> None:
        self._check_not_closed()
        self._check_not_failed()
        if self._data_ended is not None:
            raise RunFileError(f"the data of run file {self._path} is finished: only its analysis and status remain")

    def _reopen(self) -> None:
        """Open the file again for the analysis and status once :meth:`finish_data` has closed it."""
        if self._data_ended is not None and not self._file.id.valid:
            self._file = reopen_run_file(self._path)

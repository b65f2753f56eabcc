"""The sink a station gives a procedure: every block goes to the run's HDF5 file and is kept for analysis."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from procedures.sink import MemorySink
from results.hdf5 import RunFileWriter

__all__ = ["RunFileSink"]


class RunFileSink:
    """Writes blocks to the run file (flushed per block) and keeps a copy for the analysis at the end."""

    def __init__(self, writer: RunFileWriter) -> None:
        self.writer = writer
        self.kept = MemorySink()
        self.committed = 0

    def define_columns(self, columns: Mapping[str, str], *, axis: str, signal: str) -> None:
        """Declare the data columns in the file."""
        self.writer.define_columns(columns, axis=axis, signal=signal)
        self.kept.define_columns(columns, axis=axis, signal=signal)

    def append_rows(self, rows: Mapping[str, npt.NDArray[np.float64]]) -> None:
        """Append a block of rows to the file."""
        self.committed = self.writer.append_rows(rows)
        self.kept.append_rows(rows)

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
    ) -> None:
        """Append a block of raw waveform samples to the file."""
        self.committed = self.writer.append_waveform(
            name, raw, scale=scale, offset=offset, t0=t0, dt=dt, y_units=y_units
        )
        self.kept.append_waveform(name, raw, scale=scale, offset=offset, t0=t0, dt=dt, y_units=y_units)

"""The sink a station gives a procedure: every block goes to the run's HDF5 file, and to its live preview."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from labsys.stations.live import LivePreview
from results.hdf5 import RunFileWriter

__all__ = ["RunFileSink"]


class RunFileSink:
    """Writes blocks to the run file (flushed per block) and hands them to the run's live preview.

    Nothing is kept: the run is analysed from its closed file, and the preview keeps a few hundred points.
    """

    def __init__(self, writer: RunFileWriter, live: LivePreview) -> None:
        self.writer = writer
        self.live = live
        self.committed = 0

    def define_columns(self, columns: Mapping[str, str], *, axis: str, signal: str) -> None:
        """Declare the data columns in the file."""
        self.writer.define_columns(columns, axis=axis, signal=signal)
        self.live.define_columns(dict(columns), axis=axis, signal=signal)

    def append_rows(self, rows: Mapping[str, npt.NDArray[np.float64]]) -> None:
        """Append a block of rows to the file."""
        self.committed = self.writer.append_rows(rows)
        self.live.add_rows(dict(rows))

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
        self.live.add_waveform(name, raw, scale=scale, offset=offset, t0=t0, dt=dt, y_units=y_units)

"""Where a procedure hands its data: rows of columns and blocks of raw waveform samples.

Procedures know neither HDF5 nor the database; the station gives them a sink that writes the run file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["DataSink", "MemorySink", "WaveformBlock"]


class DataSink(Protocol):
    """What a procedure writes to. Blocks, never single samples: a sink may flush after each call."""

    def define_columns(self, columns: Mapping[str, str], *, axis: str, signal: str) -> None:
        """Declare the data columns (name → units); ``axis`` is swept, ``signal`` measured."""

    def append_rows(self, rows: Mapping[str, npt.NDArray[np.float64]]) -> None:
        """Append a block of rows: one equally long array per declared column."""

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
        """Append raw ADC integers of one waveform (value = raw × scale + offset; time = t0 + i × dt, s)."""


@dataclass(frozen=True)
class WaveformBlock:
    """One block of a waveform as handed to a :class:`MemorySink`."""

    raw: npt.NDArray[np.integer]
    scale: float
    offset: float
    t0: float
    dt: float
    y_units: str


@dataclass
class MemorySink:
    """A sink that keeps everything in memory: for tests and for analysing small runs."""

    columns: dict[str, str] = field(default_factory=dict)
    axis: str = ""
    signal: str = ""
    blocks: list[dict[str, npt.NDArray[np.float64]]] = field(default_factory=list)
    waveforms: dict[str, list[WaveformBlock]] = field(default_factory=dict)

    def define_columns(self, columns: Mapping[str, str], *, axis: str, signal: str) -> None:
        """Remember the columns."""
        self.columns, self.axis, self.signal = dict(columns), axis, signal

    def append_rows(self, rows: Mapping[str, npt.NDArray[np.float64]]) -> None:
        """Keep a block of rows."""
        self.blocks.append({name: np.asarray(values, dtype=np.float64) for name, values in rows.items()})

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
        """Keep a waveform block."""
        self.waveforms.setdefault(name, []).append(WaveformBlock(np.array(raw), scale, offset, t0, dt, y_units))

    def column(self, name: str) -> npt.NDArray[np.float64]:
        """Every value of one column so far."""
        if not self.blocks:
            return np.empty(0)
        return np.concatenate([block[name] for block in self.blocks])

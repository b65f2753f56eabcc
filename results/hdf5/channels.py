"""The two kinds of appendable series in a run file: data columns (NXdata) and waveform records (NXdata each).

Waveforms follow the CF / netCDF scaling convention ``physical = raw * scale_factor + add_offset``; sample
``i`` is at time ``t0 + i * dt``, and that time is stored beside the samples as the record's NXdata axis, so
a NeXus viewer (nexusformat, silx, HDFView) plots a record against time with no labsys code.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import h5py
import numpy as np
import numpy.typing as npt

from results.hdf5 import layout
from results.hdf5.model import InvalidRunDataError, check_hdf5_name
from results.hdf5.streams import BlockStream, MinMaxPyramid, create_stream_dataset

__all__ = [
    "COLUMN_CHUNK_ROWS",
    "TIME_CHUNK_POINTS",
    "WAVEFORM_CHUNK_BYTES",
    "RunSeries",
    "WaveformScaling",
    "WaveformSeries",
    "column_block",
    "create_columns",
    "create_waveform",
]

#: Data columns are float64 in chunks of 8192 rows (64 KiB): sweeps are short, and a chunk is allocated whole.
COLUMN_CHUNK_ROWS = 8192
#: Waveform chunks hold about 1 MiB of raw samples: the size that writes at disk speed.
WAVEFORM_CHUNK_BYTES = 1 << 20
#: The time axis is float32 in 1 MiB chunks, uncompressed: a plotting axis for NeXus viewers, twice the disk of
#: int16 samples. Compressing it (shuffle + gzip) cost ten times the CPU of writing the samples; float32 keeps
#: successive times apart to a quarter of dt up to 16 M points. Exact times stay ``t0 + i * dt`` on the samples.
TIME_CHUNK_POINTS = WAVEFORM_CHUNK_BYTES // 4


@dataclass(frozen=True, slots=True)
class WaveformScaling:
    """How raw integers become physical values (CF convention) and where samples sit in time."""

    scale_factor: float
    add_offset: float
    t0: float
    dt: float
    y_units: str
    t_units: str


@dataclass(slots=True)
class WaveformSeries:
    """A waveform being written: its raw stream, its time axis, its min/max pyramid and its fixed scaling."""

    stream: BlockStream
    time: h5py.Dataset
    pyramid: MinMaxPyramid
    scaling: WaveformScaling

    def write(self, samples: npt.NDArray[np.generic]) -> None:
        """Append raw samples, their times and their min/max (not flushed)."""
        start = self.stream.written
        self.stream.write(samples)
        end = start + samples.size
        self.time.resize((end,))
        times = self.scaling.t0 + self.scaling.dt * np.arange(start, end, dtype=np.float64)
        self.time[start:end] = times.astype(np.float32)
        self.pyramid.feed(samples)


def create_columns(
    file: h5py.File, columns: Mapping[str, str], *, axis: str | None, signal: str | None, gzip: bool
) -> dict[str, BlockStream]:
    """Create ``/entry/data`` (NXdata) with one empty float64 column per entry of ``columns`` (name → units).

    Raises:
        InvalidRunDataError: If no column is given, or axis/signal is not a column.
    """
    names = list(columns)
    if not names:
        raise InvalidRunDataError("define at least one column")
    axis = axis or names[0]
    signal = signal or names[min(1, len(names) - 1)]
    if axis not in columns or signal not in columns:
        raise InvalidRunDataError(f"axis {axis!r} and signal {signal!r} must be among {names}")
    group = file.create_group(layout.DATA, track_order=True)
    group.attrs.update({"NX_class": "NXdata", "signal": signal, "axes": axis, f"{axis}_indices": 0})
    layout.set_default_plot(file, "data")
    streams = {}
    for name, units in columns.items():
        dataset = create_stream_dataset(
            group, check_hdf5_name(name, "column"), np.float64, COLUMN_CHUNK_ROWS, gzip=gzip
        )
        dataset.attrs["units"] = units
        streams[name] = BlockStream(dataset, COLUMN_CHUNK_ROWS)
    return streams


def column_block(
    names: list[str], rows: Mapping[str, npt.ArrayLike] | npt.ArrayLike
) -> dict[str, npt.NDArray[np.float64]]:
    """Validate rows for the columns ``names`` and return them as float64 arrays by column.

    Raises:
        InvalidRunDataError: If the columns differ from ``names`` or the lengths disagree.
    """
    if isinstance(rows, Mapping):
        if set(rows) != set(names):
            raise InvalidRunDataError(f"rows must give exactly the columns {names}, got {sorted(rows)}")
        block = {name: np.asarray(rows[name], dtype=np.float64) for name in names}
    else:
        table = np.asarray(rows, dtype=np.float64)
        if table.ndim != 2 or table.shape[1] != len(names):
            raise InvalidRunDataError(f"a 2-D block needs shape (n, {len(names)}), got {table.shape}")
        block = {name: table[:, index] for index, name in enumerate(names)}
    shapes = {values.shape for values in block.values()}
    if len(shapes) != 1 or len(next(iter(shapes))) != 1:
        raise InvalidRunDataError(f"every column needs the same number of values (1-D), got {shapes}")
    return block


def create_waveform(
    file: h5py.File, name: str, dtype: np.dtype[np.generic], scaling: WaveformScaling, *, gzip: bool
) -> WaveformSeries:
    """Create the record ``/entry/waveforms/<name>`` (NXdata: raw codes against time) and its pyramid in
    ``/entry/preview/<name>``; the first record becomes the entry's default plot unless a data table is.

    Raises:
        InvalidRunDataError: If the name is not a valid NeXus name, the scale is zero or not finite, or dt <= 0.
    """
    check_hdf5_name(name, "waveform")
    if not (math.isfinite(scaling.scale_factor) and scaling.scale_factor != 0.0 and scaling.dt > 0.0):
        raise InvalidRunDataError(f"waveform {name!r}: scale must be finite and non-zero, dt positive")
    record = file[layout.WAVEFORMS].create_group(name, track_order=True)
    record.attrs.update(
        {
            "NX_class": "NXdata",
            "signal": layout.WAVEFORM_RAW,
            "axes": layout.WAVEFORM_TIME,
            f"{layout.WAVEFORM_TIME}_indices": 0,
            "title": name,
        }
    )
    chunk = max(1, WAVEFORM_CHUNK_BYTES // dtype.itemsize)
    dataset = create_stream_dataset(record, layout.WAVEFORM_RAW, dtype, chunk, gzip=gzip)
    dataset.attrs.update(
        {
            "long_name": f"{name}: raw ADC code ({scaling.y_units} = code * scale_factor + add_offset)",
            "units": "1",
            "scale_factor": np.float64(scaling.scale_factor),
            "add_offset": np.float64(scaling.add_offset),
            "physical_units": scaling.y_units,
            "scaling_convention": layout.SCALING_CONVENTION,
            "t0": np.float64(scaling.t0),
            "dt": np.float64(scaling.dt),
            "time_units": scaling.t_units,
            "preview": f"/{layout.PREVIEW}/{name}",
        }
    )
    time = create_stream_dataset(record, layout.WAVEFORM_TIME, np.float32, TIME_CHUNK_POINTS, gzip=gzip)
    time.attrs.update({"units": scaling.t_units, "long_name": f"time ({scaling.t_units})"})
    layout.set_default_plot(file, f"waveforms/{name}")
    if "default" not in file[layout.WAVEFORMS].attrs:
        file[layout.WAVEFORMS].attrs["default"] = name
    group = file[layout.PREVIEW].create_group(name)
    group.attrs.update({"NX_class": "NXcollection", "source": f"/{layout.WAVEFORMS}/{name}/{layout.WAVEFORM_RAW}"})
    pyramid = MinMaxPyramid(group, dtype, layout.PYRAMID_BLOCKS)
    return WaveformSeries(BlockStream(dataset, chunk), time, pyramid, scaling)


@dataclass
class RunSeries:
    """The data columns and waveform records of a run file being written, and the age of what they buffer.

    Attributes:
        max_block_age_s: Buffered points older than this (s) are due with the next append.
        columns: Column streams by name, in defined order.
        waveforms: Waveform records by name, in acquisition order.
    """

    max_block_age_s: float
    columns: dict[str, BlockStream] = field(default_factory=dict)
    waveforms: dict[str, WaveformSeries] = field(default_factory=dict)
    _pending_since: float | None = None

    @property
    def committed(self) -> dict[str, int]:
        """Committed (flushed) points per dataset, keyed ``data/<column>`` and ``waveforms/<name>``."""
        counts = {f"data/{name}": stream.committed for name, stream in self.columns.items()}
        counts.update({f"waveforms/{name}": wave.stream.committed for name, wave in self.waveforms.items()})
        return counts

    def note_pending(self) -> None:
        """Start the age of the buffer, if it was empty."""
        if self._pending_since is None:
            self._pending_since = time.monotonic()

    def pending_too_old(self) -> bool:
        """Whether buffered points are older than :attr:`max_block_age_s`."""
        since = self._pending_since
        return since is not None and time.monotonic() - since >= self.max_block_age_s

    def commit(self, file: h5py.File) -> None:
        """Write every buffered block and, if there was one, the time; flush the file; then count what was written
        as committed."""
        for stream in self.columns.values():
            if (block := stream.take()) is not None:
                stream.write(block)
        for wave in self.waveforms.values():
            if (samples := wave.stream.take()) is not None:
                wave.write(samples)
        streams = [*self.columns.values(), *(wave.stream for wave in self.waveforms.values())]
        if any(stream.written > stream.committed for stream in streams):
            layout.mark_block_time(file, datetime.now(UTC))
        file.flush()
        self._pending_since = None
        for stream in self.columns.values():
            stream.mark_committed()
        for wave in self.waveforms.values():
            wave.stream.mark_committed()

    def finish_previews(self, file: h5py.File) -> None:
        """Write the partial last block of every record's min/max pyramid, and flush."""
        for wave in self.waveforms.values():
            wave.pyramid.finish()
        file.flush()

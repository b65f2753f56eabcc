"""A closed run file opened for analysis: its data columns whole (they are small), its waveform records range by
range (they are not), and the parameters the run used, exactly as stored.

    with RunData.open(path) as data:
        voltage = data.column("voltage")
        record = data.waveform("step_1")
        for start, stop in chunk_ranges(0, record.length, record.chunk_points):
            volts = record.read(start, stop)

A record read range by range holds one range in memory, whatever its length. The file is opened read-only and
never changed: it may be the one a certificate cites.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import h5py
import numpy as np
import numpy.typing as npt

from results.hdf5 import layout
from results.hdf5.model import InvalidRunDataError

__all__ = ["RunData", "StoredWaveform"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class StoredWaveform:
    """One waveform record of a run file, read range by range in physical units.

    ``value = raw * scale_factor + add_offset`` in ``units`` (CF); sample ``i`` is at ``t0 + i * dt`` s.

    Attributes:
        name: The record's name (``step_1``).
        codes: The raw codes as stored (an open h5py dataset).
        chunk_points: Samples per stored chunk: reads of whole chunks are the cheapest.
    """

    name: str
    codes: h5py.Dataset
    scale_factor: float
    add_offset: float
    t0: float
    dt: float
    units: str
    chunk_points: int

    @property
    def length(self) -> int:
        """Number of samples."""
        return int(self.codes.shape[0])

    def read_raw(self, start: int, stop: int) -> npt.NDArray[np.integer]:
        """Raw codes ``[start, stop)`` (clipped to the record), as stored."""
        stop = min(stop, self.length)
        if stop <= start:
            return np.empty(0, dtype=self.codes.dtype)
        return np.asarray(self.codes[start:stop])

    def read(self, start: int, stop: int) -> FloatArray:
        """Samples ``[start, stop)`` (clipped to the record) as float64 in ``units``."""
        values = self.read_raw(start, stop).astype(np.float64)
        values *= self.scale_factor
        values += self.add_offset
        return values


class RunData:
    """A closed run file open for reading its data; use :meth:`open` as a context manager.

    Attributes:
        path: The run file.
        parameters: The run's parameters with units, as ``/entry/parameters`` holds them.
        columns: Data column name → units, in file order (empty if the run wrote none).
        waveform_names: Waveform records in acquisition order.
    """

    def __init__(self, file: h5py.File, path: Path) -> None:
        """Wrap an open file; use :meth:`open` instead."""
        self._file = file
        self.path = path
        entry = file[layout.ENTRY]
        self.parameters = {name: layout.read_quantity(ds) for name, ds in entry["parameters"].items()}
        data = entry.get("data")
        self.columns = (
            {} if data is None else {name: layout.text_of(ds.attrs.get("units", "")) for name, ds in data.items()}
        )
        self.waveform_names = list(entry.get("waveforms", {}))

    @classmethod
    def open(cls, path: str | Path) -> RunData:
        """Open a run file read-only.

        Raises:
            OSError: If the file is not HDF5 or is open for writing.
            KeyError: If the file has no ``/entry`` or no ``/entry/parameters``.
        """
        # No chunk cache: analyses read each chunk once, front to back, and HDF5 2.0 would keep 8 MiB of every record
        # read until the file closes (a 4 M x 20 run: 160 MiB held for nothing).
        file = h5py.File(path, "r", rdcc_nbytes=0)
        try:
            return cls(file, Path(path))
        except BaseException:
            file.close()
            raise

    def numeric_parameters(self) -> dict[str, float]:
        """The parameters that are numbers, as floats (an analysis's inputs)."""
        return {
            name: float(q.value)
            for name, q in self.parameters.items()
            if isinstance(q.value, int | float) and not isinstance(q.value, bool)
        }

    def column(self, name: str) -> FloatArray:
        """Every value of a data column (float64, in its units): a column is a sweep's rows, small.

        Raises:
            InvalidRunDataError: If the file has no such column.
        """
        key = f"{layout.DATA}/{name}"
        if key not in self._file:
            raise InvalidRunDataError(f"no data column {name!r}")
        return np.asarray(self._file[key][()], dtype=np.float64)

    def waveform(self, name: str) -> StoredWaveform:
        """A waveform record, to be read range by range.

        Raises:
            InvalidRunDataError: If the file has no such record.
        """
        key = f"{layout.WAVEFORMS}/{name}"
        if key not in self._file:
            raise InvalidRunDataError(f"no waveform {name!r}")
        codes = layout.waveform_codes(self._file[key])
        attrs = codes.attrs
        return StoredWaveform(
            name=name,
            codes=codes,
            scale_factor=float(attrs["scale_factor"]),
            add_offset=float(attrs["add_offset"]),
            t0=float(attrs["t0"]),
            dt=float(attrs["dt"]),
            units=layout.waveform_units(codes),
            chunk_points=int(codes.chunks[0]) if codes.chunks else int(codes.shape[0]),
        )

    def close(self) -> None:
        """Close the file (records read from it can no longer be read)."""
        self._file.close()

    def __enter__(self) -> Self:
        """Return the run data itself."""
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close the file."""
        self.close()

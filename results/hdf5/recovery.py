"""What a run file holds when its writer never closed it (the station was killed): the points of each series, when
its last block was written, and its digest. Read only: the file stays as the kill left it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import h5py

from results.hdf5 import layout
from results.hdf5.integrity import sha256_file

__all__ = ["UnfinishedRunFile", "read_unfinished"]


@dataclass(frozen=True)
class UnfinishedRunFile:
    """A run file as its killed writer left it.

    Attributes:
        points: Points held per series, keyed ``data/<column>`` and ``waveforms/<name>`` as the writer's
            ``committed`` (the data table's columns each count the rows every column holds).
        last_block_time: When the writer committed its last block (UTC); None if it committed none.
        status: The status the file states (``running`` for a file whose writer was killed).
        sha256: The SHA-256 of the file as it is.
    """

    points: dict[str, int]
    last_block_time: datetime | None
    status: str
    sha256: str

    @property
    def rows(self) -> int:
        """The most points any series holds: what a station reports as a run's committed rows."""
        return max(self.points.values(), default=0)


def read_unfinished(path: str | Path) -> UnfinishedRunFile:
    """Read what an unfinished run file holds, and hash it.

    Raises:
        OSError: the file is missing, not HDF5, or cannot be opened.
        KeyError: the file has no ``/entry``.
    """
    with h5py.File(path, "r") as file:
        entry = file[layout.ENTRY]
        data = entry.get("data")
        columns = {} if data is None else {name: int(dataset.shape[0]) for name, dataset in data.items()}
        whole_rows = min(columns.values(), default=0)  # a kill between two columns' writes leaves one longer
        points = {f"data/{name}": whole_rows for name in columns}
        for name, record in entry.get("waveforms", {}).items():
            points[f"waveforms/{name}"] = int(layout.waveform_codes(record).shape[0])
        last_block_time = layout.read_block_time(file)
        status = layout.text_of(entry["status"][()])
    return UnfinishedRunFile(points, last_block_time, status, sha256_file(path))

"""How a run file ends: its final status and end time are written, then the closed file is synced and hashed."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import h5py

from results.hdf5 import layout
from results.hdf5.integrity import sha256_file
from results.hdf5.model import RunStatus

__all__ = ["seal_run_file", "write_run_end"]


def write_run_end(file: h5py.File, status: RunStatus, ended: datetime) -> None:
    """Write the run's final ``status`` and ``end_time`` (UTC) into ``/entry``, and flush."""
    entry = file[layout.ENTRY]
    entry["status"][()] = status.value
    entry.create_dataset("end_time", data=layout.iso_utc(ended))
    file.flush()


def seal_run_file(path: Path) -> str:
    """Sync the closed file to disk and answer its SHA-256 (64 lowercase hex digits), the digest the lab stores."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
    return sha256_file(path)

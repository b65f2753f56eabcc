"""Open a run file for writing: created once with the run's metadata, re-opened for its analysis and status.

Crash safety (measured, see NOTES.md): the file is opened with the default ``libver`` (not ``latest``, not SWMR):
``libver="latest"`` and SWMR files did not open after a kill -9, a default file flushed after every block did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import h5py

from results.hdf5 import layout
from results.hdf5.model import InstrumentInfo, Quantity, RunEntry, SampleInfo

__all__ = ["SOFTWARE_NAME", "WRITE_CHUNK_CACHE_BYTES", "create_run_file", "reopen_run_file"]

SOFTWARE_NAME = "labsys"
#: Each open dataset's chunk cache while writing. HDF5 2.0's default kept what a record wrote in memory until the
#: file closed (18 MiB per 4 M-point record and its time axis: a 4 M x 20 run held 360 MiB); a run file is written
#: front to back, block by block, so a small cache costs nothing.
WRITE_CHUNK_CACHE_BYTES = 0


def create_run_file(
    path: Path,
    entry: RunEntry,
    sample: SampleInfo,
    instruments: Iterable[InstrumentInfo],
    parameters: Mapping[str, Quantity],
) -> h5py.File:
    """Create ``path`` with ``/entry`` (status ``running``), the sample, instruments, parameters and the empty
    waveform and preview collections, flushed; on any failure the half-made file is removed.

    Raises:
        FileExistsError: If ``path`` exists (a run file is never overwritten).
        InvalidRunDataError: If a name cannot name an HDF5 object or a value has no HDF5 form.
    """
    file = h5py.File(path, "x", rdcc_nbytes=WRITE_CHUNK_CACHE_BYTES)
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
        path.unlink()
        raise
    return file


def reopen_run_file(path: Path) -> h5py.File:
    """Open a run file whose data is closed again, to add its analysis and status."""
    return h5py.File(path, "r+", rdcc_nbytes=WRITE_CHUNK_CACHE_BYTES)

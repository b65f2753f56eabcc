"""A station stand-in for the crash test: writes known blocks forever and reports each commit on stdout.

Run as ``python -m tests.results.hdf5.crash_writer <path>``; the test kills it with SIGKILL.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import numpy.typing as npt

from results.hdf5 import RunFileWriter
from tests.results.hdf5.factories import make_entry, make_instruments, make_parameters, make_sample

ROWS_PER_BLOCK = 8192
#: Not a whole number of 1 MiB chunks, so blocks end mid-chunk.
POINTS_PER_BLOCK = 300_001


def expected_rows(stop: int) -> npt.NDArray[np.float64]:
    """Voltage column values 0 .. stop-1 (V)."""
    return np.arange(stop, dtype=np.float64) * 1e-3


def expected_waveform(stop: int) -> npt.NDArray[np.int16]:
    """Raw samples 0 .. stop-1 of the known waveform."""
    return (np.arange(stop, dtype=np.int64) % 4001 - 2000).astype(np.int16)


def main(path: str) -> None:
    """Write blocks until killed, printing ``<rows committed> <points committed>`` after each."""
    writer = RunFileWriter.create(path, make_entry(), make_sample(), make_instruments(), make_parameters())
    writer.define_columns({"voltage": "V", "current": "A"})
    block = 0
    while True:
        rows = expected_rows((block + 1) * ROWS_PER_BLOCK)[block * ROWS_PER_BLOCK :]
        committed_rows = writer.append_rows({"voltage": rows, "current": rows * 2.0})
        samples = expected_waveform((block + 1) * POINTS_PER_BLOCK)[block * POINTS_PER_BLOCK :]
        committed_points = writer.append_waveform("ch1", samples, scale=1e-3, offset=0.0, t0=0.0, dt=1e-6, y_units="V")
        sys.stdout.write(f"{committed_rows} {committed_points}\n")
        sys.stdout.flush()
        block += 1
        time.sleep(0.002)


if __name__ == "__main__":
    main(sys.argv[1])

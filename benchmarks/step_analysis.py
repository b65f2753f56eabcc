"""Benchmark the STEP-RISE analysis of a run file: chunk by chunk from the closed file, against the full-resolution
analysis of the same records held in memory.

Run: ``uv run python benchmarks/step_analysis.py [--rounds 3] [--dir /path] [--sizes 1000000x3,4000000x3]``.
For each size (points x records) a run file is written as the station writes it (int16 codes of the demo RC
network, 2 mV of noise), then, measured in this run:

1. the chunked analysis (:func:`results.analysis.step_response_of` over the records' mean read from the file):
   median, fastest and slowest of ``--rounds`` rounds, per record and in all, and its peak traced memory;
2. the baseline: the records read whole, averaged in memory and analysed at full resolution
   (:func:`results.analysis.step_response`), once, with its peak traced memory (left out above
   ``--baseline-max`` points x records: it grows with the record);
3. how far apart the two results are, in units of the full-resolution analysis's U.

Targets: under 1 s per 4 M-point record; peak memory the same whatever the size. scipy is loaded before
measuring (a station loads it once). Temporary files are removed.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from results.analysis import Metric, RecordMean, step_response, step_response_of
from results.analysis.step_response import first_order_step
from results.hdf5 import RunData, RunEntry, RunFileWriter, SampleInfo

CODE_V = 8 * (1 / 6) / 65536  # the DSOX3024T at 1/6 V per division, 16-bit codes
MIB = 1 << 20


def write_run(path: Path, points: int, records: int) -> None:
    """A STEP-RISE run file: ``records`` records of the demo RC network (tau 100 µs) over 1 ms."""
    entry = RunEntry("BENCH", "BENCH", "STEP-RISE", "1", datetime.now(UTC), "bench", "bench")
    writer = RunFileWriter.create(path, entry, SampleInfo("S", "RC", "intact"), [], {})
    dt, t0 = 1e-3 / points, -5e-4
    clean = first_order_step(t0 + dt * np.arange(points), 0.0, 1.0, 0.0, 1e-4)
    for n in range(records):
        volts = clean + np.random.default_rng(n).normal(0.0, 0.002, points)
        codes = np.rint((volts - 0.5) / CODE_V).astype(np.int16)
        writer.append_waveform(f"step_{n + 1}", codes, scale=CODE_V, offset=0.5, t0=t0, dt=dt, y_units="V")
    writer.close()


def chunked(path: Path) -> dict[str, Metric]:
    with RunData.open(path) as data:
        return step_response_of(RecordMean([data.waveform(name) for name in data.waveform_names]))


def full_resolution(path: Path) -> dict[str, Metric]:
    with RunData.open(path) as data:
        records = [data.waveform(name) for name in data.waveform_names]
        mean = RecordMean(records).read(0, records[0].length)
        times = records[0].t0 + records[0].dt * np.arange(mean.size)
    return step_response(times, mean)


def measured(analyse: Callable[[Path], dict[str, Metric]], path: Path) -> tuple[float, int, dict[str, Metric]]:
    """Wall time (s), peak traced memory (bytes) and result of one analysis."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        metrics = analyse(path)
        elapsed = time.perf_counter() - started
        return elapsed, tracemalloc.get_traced_memory()[1], metrics
    finally:
        tracemalloc.stop()


def timed(analyse: Callable[[Path], Any], path: Path, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        analyse(path)
        times.append(time.perf_counter() - started)
    return times


def report(path: Path, points: int, records: int, rounds: int, baseline_max: int) -> None:
    times = timed(chunked, path, rounds)
    _, peak, metrics = measured(chunked, path)
    median = statistics.median(times)
    print(
        f"{points:>10,} x {records:<3} chunked: {median:6.3f} s ({min(times):.3f}-{max(times):.3f}), "
        f"{median / records:.3f} s per record, peak {peak / MIB:5.1f} MiB "
        f"(the mean record as float64: {points * 8 / MIB:.0f} MiB)"
    )
    if points * records > baseline_max:
        print(f"{'':15} full resolution: left out (over {baseline_max:,} points x records)")
        return
    elapsed, full_peak, reference = measured(full_resolution, path)
    apart = {name: abs(metrics[name].value - m.value) / m.expanded_uncertainty for name, m in reference.items()}
    worst = max(apart, key=lambda name: apart[name])
    print(
        f"{'':15} full resolution: {elapsed:6.3f} s, peak {full_peak / MIB:5.1f} MiB; "
        f"chunked is {elapsed / median:.0f}x faster; results at most {apart[worst]:.3f} U apart ({worst})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--sizes", default="1000000x3,4000000x1,4000000x3,4000000x20")
    parser.add_argument("--baseline-max", type=int, default=12_000_000)
    args = parser.parse_args()
    from scipy import optimize  # noqa: F401, PLC0415 - loaded once, before measuring

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        for size in args.sizes.split(","):
            points, records = (int(part) for part in size.split("x"))
            path = Path(folder) / f"step_{points}_{records}.h5"
            write_run(path, points, records)
            report(path, points, records, args.rounds, args.baseline_max)
            path.unlink()


if __name__ == "__main__":
    main()

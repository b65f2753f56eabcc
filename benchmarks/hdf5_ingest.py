"""Benchmark the HDF5 run-file writer against raw disk writes and PyMeasure's CSV results, and time previews.

Run: ``uv run python bench/hdf5_ingest.py [--mib 512] [--rounds 3] [--dir /path]``. Every figure is measured in
this run (the machine is noisy: compare the ratios, not the absolute numbers). Prints:

1. MB/s of a long int16 waveform stream (``--mib`` MiB in 4 MiB blocks) written through ``RunFileWriter``
   (flush per block, fsync on close, the SHA-256 that ``close()`` computes), which also writes each sample's
   time as the record's float32 NeXus axis;
2. the same writes without HDF5, the baseline: each block's samples and float32 times written to a plain file,
   a flush per block, fsync and the file's SHA-256 at the end. Both are MB/s of waveform samples (int16), median
   of ``--rounds`` alternating rounds, with the slowest and fastest round;
3. PyMeasure's ``Results`` CSV path (the Worker's Recorder, one row per sample) on 200 k samples, as a rate;
4. the preview time and peak memory of a 100 M-point waveform (stored min/max pyramid), and of a plain
   chunk-by-chunk scan of the raw samples for comparison.

Targets: writer >= 0.9x the same raw writes; writer >= 200x PyMeasure; preview < 200 ms. Temporary files are
removed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from queue import Queue
from typing import ClassVar

import h5py
import numpy as np
from pymeasure.experiment import Procedure, Results
from pymeasure.experiment.listeners import Recorder

from results.hdf5 import RunEntry, RunFileWriter, SampleInfo, preview, sha256_file
from results.hdf5.buckets import bucket_edges, reduce_buckets

BLOCK_SAMPLES = 2 * 1024 * 1024  # 4 MiB of int16 per block
PREVIEW_SAMPLES = 100_000_000
PYMEASURE_ROWS = 200_000
MB = 1e6


def _blocks(total_bytes: int) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    pool = [rng.integers(-2048, 2048, BLOCK_SAMPLES).astype(np.int16) for _ in range(4)]
    count = total_bytes // (BLOCK_SAMPLES * 2)
    return [pool[i % len(pool)] for i in range(count)]


def _entry() -> RunEntry:
    return RunEntry("BENCH", "BENCH", "STEP-RC", "1", datetime.now(UTC), "bench", "bench")


def write_raw(path: Path, blocks: list[np.ndarray]) -> float:
    """Seconds to write what the writer writes, without HDF5: each block's samples and their float32 times, a flush
    per block, then fsync and the SHA-256 of the file."""
    start = time.perf_counter()
    written = 0
    with path.open("wb") as stream:
        for block in blocks:
            stream.write(memoryview(block))
            times = 0.0 + 1e-9 * np.arange(written, written + block.size, dtype=np.float64)
            stream.write(memoryview(times.astype(np.float32)))
            written += block.size
            stream.flush()
        os.fsync(stream.fileno())
    sha256_file(path)
    return time.perf_counter() - start


def write_run_file(path: Path, blocks: list[np.ndarray]) -> tuple[float, float]:
    """Seconds for appends + close (flush per block, fsync, SHA-256); and seconds of that SHA-256 alone."""
    start = time.perf_counter()
    writer = RunFileWriter.create(path, _entry(), SampleInfo("bench", "bench", "bench"), [], {})
    for block in blocks:
        writer.append_waveform("ch1", block, scale=1e-3, offset=0.0, t0=0.0, dt=1e-9, y_units="V")
    digest = writer.close()
    total = time.perf_counter() - start
    hash_start = time.perf_counter()
    assert sha256_file(path) == digest  # noqa: S101 - the benchmark checks what it measured
    return total, time.perf_counter() - hash_start


class _WaveformProcedure(Procedure):  # type: ignore[misc]  # pymeasure is untyped
    DATA_COLUMNS: ClassVar[list[str]] = ["Time (s)", "Voltage (V)"]


def write_pymeasure_csv(path: Path, samples: np.ndarray) -> float:
    """Seconds to record ``samples`` through PyMeasure's Results CSV path, one row per sample, then fsync."""
    start = time.perf_counter()
    results = Results(_WaveformProcedure(), str(path))
    recorder = Recorder(results, Queue())
    recorder.start()  # as the Worker does; rows below go straight to its file handler
    for index, raw in enumerate(samples):
        # What Worker.handle_record does for every emitted 'results' row
        recorder.handle({"Time (s)": index * 1e-9, "Voltage (V)": float(raw) * 1e-3})
    recorder.stop()
    with path.open("rb+") as stream:
        os.fsync(stream.fileno())
    return time.perf_counter() - start


def _measure(call: Callable[[], object]) -> tuple[float, float, int]:
    """(seconds, tracemalloc peak in bytes, ru_maxrss growth in KiB) of one call."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    call()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before


def bench_preview(folder: Path) -> None:
    """Write a 100 M-point waveform and time its previews."""
    path = folder / "preview.h5"
    writer = RunFileWriter.create(path, _entry(), SampleInfo("bench", "bench", "bench"), [], {})
    rng = np.random.default_rng(1)
    block = rng.integers(-2048, 2048, BLOCK_SAMPLES).astype(np.int16)
    for start in range(0, PREVIEW_SAMPLES, BLOCK_SAMPLES):
        writer.append_waveform(
            "ch1",
            block[: min(BLOCK_SAMPLES, PREVIEW_SAMPLES - start)],
            scale=1e-3,
            offset=0,
            t0=0,
            dt=1e-9,
            y_units="V",
        )
    writer.close()
    first, first_peak, rss = _measure(lambda: preview(path, "ch1", points=2000))
    repeats = [_measure(lambda: preview(path, "ch1", points=2000))[0] for _ in range(5)]
    fine, fine_peak, _ = _measure(lambda: preview(path, "ch1", points=20_000))

    def raw_scan() -> None:
        with h5py.File(path, "r") as file:
            dataset = file["entry/waveforms/ch1/raw"]
            reduce_buckets(
                dataset, bucket_edges(PREVIEW_SAMPLES, 1000), PREVIEW_SAMPLES, [(np.minimum, None), (np.maximum, None)]
            )

    scan, scan_peak, _ = _measure(raw_scan)
    print(
        f"preview of {PREVIEW_SAMPLES / 1e6:.0f} M points, 2000 points (pyramid): first call {first * 1e3:.1f} ms, "
        f"median of 5 {statistics.median(repeats) * 1e3:.1f} ms (target < 200 ms); "
        f"peak memory {first_peak / 2**20:.2f} MiB (tracemalloc), ru_maxrss +{rss / 1024:.1f} MiB"
    )
    print(f"preview, 20 000 points (pyramid): {fine * 1e3:.1f} ms, peak {fine_peak / 2**20:.2f} MiB")
    print(
        f"chunk-by-chunk scan of all raw samples (no pyramid), 1000 buckets: {scan * 1e3:.1f} ms, "
        f"peak {scan_peak / 2**20:.2f} MiB"
    )
    path.unlink()


def main() -> None:
    """Run every measurement and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--mib", type=int, default=512, help="waveform stream size in MiB (default 512)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds of raw and writer (median)")
    parser.add_argument("--dir", type=Path, default=None, help="folder for temporary files (default: system temp)")
    args = parser.parse_args()
    blocks = _blocks(args.mib * 2**20)
    nbytes = sum(block.nbytes for block in blocks)
    with tempfile.TemporaryDirectory(prefix="labsys-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        raw_s, run_s, hash_s = [], [], []
        write_raw(folder / "raw.bin", blocks)  # a warm-up of each: the first file's pages cost more to get
        write_run_file(folder / "run.h5", blocks)
        (folder / "raw.bin").unlink()
        (folder / "run.h5").unlink()
        for index in range(args.rounds):
            # Alternate which goes first, so neither always inherits the other's disk writeback.
            for kind in ("raw", "run") if index % 2 == 0 else ("run", "raw"):
                if kind == "raw":
                    raw_s.append(write_raw(folder / "raw.bin", blocks))
                    (folder / "raw.bin").unlink()
                else:
                    total, hashing = write_run_file(folder / "run.h5", blocks)
                    run_s.append(total)
                    hash_s.append(hashing)
                    (folder / "run.h5").unlink()
        raw_rate = nbytes / statistics.median(raw_s) / MB
        run_rate = nbytes / statistics.median(run_s) / MB
        ingest_rate = nbytes / statistics.median(t - h for t, h in zip(run_s, hash_s, strict=True)) / MB
        raw_spread = f"{nbytes / max(raw_s) / MB:.0f}-{nbytes / min(raw_s) / MB:.0f}"
        run_spread = f"{nbytes / max(run_s) / MB:.0f}-{nbytes / min(run_s) / MB:.0f}"
        csv_s = write_pymeasure_csv(folder / "pymeasure.csv", blocks[0][:PYMEASURE_ROWS])
        csv_rate = PYMEASURE_ROWS * 2 / csv_s / MB  # as MB/s of int16 samples
        print(
            f"int16 waveform stream: {nbytes / 2**20:.0f} MiB in {len(blocks)} blocks of 4 MiB, "
            f"median of {args.rounds} rounds"
        )
        print(f"same writes, raw (samples + times, flush, fsync, SHA-256): {raw_rate:8.1f} MB/s ({raw_spread})")
        print(
            f"RunFileWriter (the same, in HDF5, SHA-256 on close):      {run_rate:8.1f} MB/s ({run_spread})  "
            f"= {run_rate / raw_rate:.2f}x raw (target >= 0.9x)"
        )
        print(f"RunFileWriter without its SHA-256:                        {ingest_rate:8.1f} MB/s")
        print(
            f"PyMeasure Results CSV ({PYMEASURE_ROWS // 1000} k rows, Recorder): {csv_rate:8.3f} MB/s "
            f"({PYMEASURE_ROWS / csv_s / 1e3:.0f} k samples/s)"
        )
        print(f"RunFileWriter vs PyMeasure CSV:              {run_rate / csv_rate:8.0f}x (target >= 200x)")
        bench_preview(folder)


if __name__ == "__main__":
    main()

"""Benchmark STEP-RISE end to end through the real stack, at the scope's full memory depth, from outside the lab.

Run: ``uv run python benchmarks/step_rise.py [--sizes 1Mx3,4Mx3,4Mx20] [--rounds 3]`` (Linux: it reads ``/proc``;
about 10 minutes and 2.5 GB of memory as the lab stands). A size is a run of the step_response procedure with its
``record_points`` and ``records`` parameters; each size runs ``--rounds`` times, each time on a fresh
``labsys serve --demo`` (``served_lab.py``: a new SQLite lab, its station in a process of its own, the simulated
bench on ports the system picks), booked, received and queued through the API as the lab's people do it. The
station reaches the bench's DSOX3024T over pyvisa and TCP, writes the HDF5 file and analyses it. Per size it prints
the median over the rounds, with the lowest and highest:

- the run's wall time, from its start to its end as the station recorded them (``started_at``, ``finished_at``),
  and how long after it was queued the API first answered it completed;
- the phases the station logged for the run (``run N completed: acquisition …, analysis …, closing the file …``);
  the waveform MB/s of the acquisition phase (instruments opened, every record transferred and written to HDF5);
- the baseline, measured in the same lab just before the run: the same records transferred by the same driver
  from the same simulated scope and written with plain h5py (a flush per record, fsync at the end), with nothing
  of the lab around them (no database, procedure, run file layout or analysis);
- the station process's memory: resident when idle before the run, its peak (``VmHWM``, a fresh station for each
  run) and what it still holds after; the server process's resident memory before and after (the simulated bench
  lives in it, so it grows with what the bench generates, not with the run);
- ``GET /api/bookings`` asked every 0.1 s: idle, during the baseline (the bench alone at work in the server's
  process) and during the run.

Then the peak memory growth from the first size to the last. Targets: the 4 M x 3 run under 3 s in all,
analysis under 1 s per 4 M-point record, the station's peak memory growing by less than 64 MiB from 1 M x 3 to
4 M x 20. The machine is shared and noisy: read the ratios, and run it again before you believe a figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import h5py
import httpx
from grown_lab import ENGINEER, expect
from served_lab import ServedLab, served_demo_lab
from station_probe import MIB, Latencies, LatencyWatch, Memory, memory, run_phases, started_station

from instruments.drivers import use_instrument

CUSTOMER = "minjun.kim@hanbit.example.com"
METHOD = "STEP-RISE"
RUN_TIMEOUT_S = 1800.0
MB = 1e6
FULL_DEPTH = 4_000_000  # the DSOX3024T's memory depth, in points
SETTINGS = {"LABSYS_INSTRUMENT_TIMEOUT_MS": "60000"}


@dataclass(frozen=True)
class Size:
    """One run's shape: points per record and records."""

    points: int
    records: int

    @classmethod
    def parse(cls, text: str) -> Size:
        """``4Mx20`` (M: millions, k: thousands)."""
        points, records = text.lower().split("x")
        scale = {"m": 1_000_000, "k": 1_000}.get(points[-1], 1)
        return cls(int(float(points.rstrip("mk")) * scale), int(records))

    @property
    def label(self) -> str:
        """``4 M x 20``."""
        return f"{self.points / 1e6:g} M x {self.records}"

    @property
    def waveform_mb(self) -> float:
        """MB of int16 samples the run records."""
        return self.points * self.records * 2 / MB


@dataclass
class Measured:
    """What one run of a size gave, on a fresh lab."""

    run_s: float
    seen_s: float
    phases: dict[str, float]
    baseline_s: float
    station_idle: Memory
    station_after: Memory
    server_before: Memory
    server_after: Memory
    latencies: dict[str, LatencyWatch]


def raw_records(resource: str, size: Size, folder: Path) -> float:
    """Seconds to transfer ``size`` records from the scope and write them with plain h5py (the baseline), after one
    record untimed: the first acquisition of a new length costs the simulator more, and the run comes after."""
    path = folder / "baseline.h5"
    with use_instrument("keysight_dsox3024t", resource, timeout_ms=60_000) as connected:
        connected.instrument.configure_waveform_transfer(channel=1, points=size.points)
        connected.instrument.acquire(channel=1)
        connected.instrument.read_waveform()
    began = time.perf_counter()
    with use_instrument("keysight_dsox3024t", resource, timeout_ms=60_000) as connected:
        scope = connected.instrument
        scope.configure_waveform_transfer(channel=1, points=size.points)
        with h5py.File(path, "w") as file:
            for n in range(size.records):
                scope.acquire(channel=1)
                file.create_dataset(f"step_{n + 1}", data=scope.read_waveform().raw)
                file.flush()
        with path.open("rb+") as stream:
            os.fsync(stream.fileno())
    elapsed = time.perf_counter() - began
    path.unlink()
    return elapsed


def received_booking(customer: httpx.Client, engineer: httpx.Client) -> tuple[int, int]:
    """A STEP-RISE booking at the earliest free start, confirmed, its sample received: (booking, sample)."""
    body = {"method": METHOD, "start": "earliest", "samples": [{"label": "RC-1", "description": "RC network"}]}
    booking = expect(customer.post("/api/bookings", json=body), 201)
    booking_id, sample_id = booking["id"], booking["samples"][0]["id"]
    expect(customer.post(f"/api/bookings/{booking_id}/confirm"), 200)
    receipt = {"samples": [{"sample_id": sample_id, "condition": "intact"}]}
    expect(engineer.post(f"/api/bookings/{booking_id}/receive", json=receipt), 200)
    return int(booking_id), int(sample_id)


def run_to_its_end(customer: httpx.Client, engineer: httpx.Client, booking: tuple[int, int], size: Size) -> Any:
    """Queue the run and poll until it ends; the run as the API answers it, and seconds from queued to seen ended."""
    parameters = {"record_points": size.points, "records": size.records}
    queued = time.perf_counter()
    run = expect(
        engineer.post("/api/runs", json={"booking": booking[0], "sample": booking[1], "parameters": parameters}), 202
    )
    deadline = queued + RUN_TIMEOUT_S
    while time.perf_counter() < deadline:
        run = expect(customer.get(f"/api/runs/{run['id']}"), 200)
        if run["status"] not in {"queued", "running"}:
            if run["status"] != "completed":
                raise SystemExit(f"run {run['id']} ended {run['status']}: {run['failure_reason']}")
            return run, time.perf_counter() - queued
        time.sleep(0.05)
    raise SystemExit(f"run {run['id']} did not end within {RUN_TIMEOUT_S:.0f} s")


def _watching(client: httpx.Client) -> LatencyWatch:
    return LatencyWatch(client, "/api/bookings")


def measure(lab: ServedLab, size: Size, folder: Path) -> Measured:
    """One run of ``size`` on ``lab``, with its baseline and the page latencies around it."""
    station = started_station(lab.pid, lab.log)
    with lab.client(lab.sign_in(CUSTOMER)) as customer, lab.client(lab.sign_in(ENGINEER)) as engineer:
        scope = next(i for i in expect(engineer.get("/api/instruments"), 200)["data"] if i["kind"] == "scope")
        with _watching(customer) as idle:
            time.sleep(3.0)
        with _watching(customer) as during_baseline:
            baseline_s = raw_records(scope["resource"], size, folder)
        booking = received_booking(customer, engineer)
        station_idle, server_before = memory(station), memory(lab.pid)
        with _watching(customer) as during_run:
            run, seen_s = run_to_its_end(customer, engineer, booking, size)
        station_after, server_after = memory(station), memory(lab.pid)
    run_s = (datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])).total_seconds()
    watches = {"idle": idle, "baseline": during_baseline, "run": during_run}
    return Measured(
        run_s, seen_s, run_phases(lab.log, run["id"]), baseline_s, station_idle, station_after, server_before,
        server_after, watches,
    )  # fmt: skip


def _spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    """``median unit (min-max)``; a single value alone."""
    median = f"{statistics.median(values):.{digits}f} {unit}"
    return median if len(values) == 1 else f"{median} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def _mib(values: list[int]) -> str:
    return _spread([v / MIB for v in values], "MiB", 0)


def print_size(size: Size, rounds: list[Measured]) -> None:
    """The figures of ``size``: medians over ``rounds`` with their spread."""
    runs = f"median of {len(rounds)} runs (min-max)" if len(rounds) > 1 else "one run"
    print(f"\n{METHOD} {size.label}: {size.waveform_mb:.1f} MB of int16 samples; {runs}")
    full = (size.points, size.records) == (FULL_DEPTH, 3)
    print(f"  run, start to end as the station recorded it: {_spread([m.run_s for m in rounds])}", end="")
    print(f"{'   target < 3 s' if full else ''}; seen completed after queued: {_spread([m.seen_s for m in rounds])}")
    phases = {name: [m.phases[name] for m in rounds if name in m.phases] for m in rounds for name in m.phases}
    if not phases:
        print("  the station logged no phases for the run")
    baseline = [m.baseline_s for m in rounds]
    if acquisition := phases.get("acquisition"):
        rates = [size.waveform_mb / a for a in acquisition]
        print(f"  acquisition (instruments opened, records transferred and written to HDF5): {_spread(acquisition)}")
        print(
            f"    = {_spread(rates, 'MB/s', 1)}; {statistics.median(baseline) / statistics.median(acquisition):.2f}x",
            end="",
        )
        print(" the baseline's rate")
    print(f"  baseline (the same records by the driver into plain h5py, no lab): {_spread(baseline)}", end="")
    print(f" = {_spread([size.waveform_mb / b for b in baseline], 'MB/s', 1)}")
    if analysis := phases.get("analysis"):
        target = "   target < 1 s per 4 M-point record" if size.points == FULL_DEPTH else ""
        per_record = [a / size.records for a in analysis]
        print(f"  analysis: {_spread(analysis)} = {_spread(per_record)} per record{target}")
    if closing := phases.get("closing the file"):
        print(f"  closing the file (flush, fsync, SHA-256): {_spread(closing)}")
    growth = [m.station_after.peak - m.station_idle.resident for m in rounds]
    print(
        f"  station process: idle {_mib([m.station_idle.resident for m in rounds])}; "
        f"peak {_mib([m.station_after.peak for m in rounds])}, {_mib(growth)} over idle"
    )
    print(f"    still held after the run: {_mib([m.station_after.resident for m in rounds])}")
    print(
        f"  server process (the simulated bench in it): {_mib([m.server_before.resident for m in rounds])} before "
        f"the run, {_mib([m.server_after.resident for m in rounds])} after"
    )
    for name in rounds[0].latencies:
        pooled = Latencies([s for m in rounds for s in m.latencies[name].latencies.seconds])
        print(f"  GET /api/bookings, {name:<8}: {pooled.summary()}")
        for failure in [f for m in rounds for f in m.latencies[name].failures][:3]:
            print(f"    unexpected: {failure}")


def main() -> None:
    """Run each size on fresh labs and print the figures, then the memory growth."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1Mx3,4Mx3,4Mx20", help="points x records per run (default 1Mx3,4Mx3,4Mx20)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each size, each on a fresh lab (default 3)")
    arguments = parser.parse_args()
    sizes = [Size.parse(text) for text in arguments.sizes.split(",")]
    peaks: dict[Size, float] = {}
    for size in sizes:
        rounds = []
        for _ in range(arguments.rounds):
            with tempfile.TemporaryDirectory(prefix="labsys-step-rise-") as tmp:
                folder = Path(tmp)
                with served_demo_lab(folder / "lab", SETTINGS) as lab:
                    rounds.append(measure(lab, size, folder))
        print_size(size, rounds)
        peaks[size] = statistics.median(m.station_after.peak for m in rounds)
    first, last = sizes[0], sizes[-1]
    if first != last:
        growth = (peaks[last] - peaks[first]) / MIB
        print(f"\nstation peak memory from {first.label} to {last.label}: {growth:+.0f} MiB (target < 64 MiB)")


if __name__ == "__main__":
    main()

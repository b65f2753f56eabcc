"""How fast a scope record crosses VISA through the lab's driver, against a raw socket reading the same bytes.

Run: ``uv run python benchmarks/visa_waveform.py [--points 1000000,4000000] [--repeats 15] [--warmup 3]``.
Three processes besides this one, which only conducts:

* the simulated bench (``python -m instruments.sim``, on ports the system picks);
* the raw baseline: a plain TCP socket to the scope (``TCP_NODELAY``, as the lab's adapter sets it), connected once
  and kept, sending the queries the driver sends for a record (``:WAV:PRE?;BYT?``, then ``:WAV:DATA?``) and
  reading exactly their replies, the block header and data included, into a buffer it allocates once a size;
* the driver: ``KeysightDSOX3024T.stream_waveform`` (what the procedures call) on a session opened once with
  ``use_instrument``, as the station opens it, handing the record on block by block to a sink that keeps nothing.

For each record size the AWG drives the RC fixture with a square wave and the scope takes one acquisition; the
warm-up fetches (discarded) check that both read the same payload (length and CRC-32), then each fetches the
record ``--repeats`` times, alternately, one at a time, the order swapped each round so load drift hits both
alike. Each process times its own fetches. Printed per size: median time and MB/s of payload with the lowest and
highest, and the driver/raw ratio of the medians against the target (>= 0.8).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from instruments.drivers import use_instrument
from instruments.keysight.waveform import Waveform

SCOPE = "SCOPE-01"
AWG = "AWG-01"
TARGET = 0.8
TIMEOUT_S = 60.0
#: What ``stream_waveform`` asks for one record, in order; the last answers a definite-length block.
RECORD_QUERIES = (b":WAV:PRE?;BYT?\n", b":WAV:DATA?\n")
_RESOURCE = re.compile(r"^(?P<tag>\S+)\s.*\s(?P<resource>TCPIP0::\S+::SOCKET)$")


@dataclass(frozen=True)
class Fetch:
    """One record fetched by a worker: its time (s), its payload bytes, all bytes read, and the payload's CRC-32
    (None when not asked for: the timed fetches skip it)."""

    seconds: float
    payload_bytes: int
    read_bytes: int
    crc32: int | None


@contextmanager
def served_bench() -> Iterator[dict[str, str]]:
    """Run the simulated bench in a process of its own until the block ends; yield each instrument's resource."""
    command = [sys.executable, "-m", "instruments.sim", "--base-port", "0", "--control-port", "0"]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    bench = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        resources: dict[str, str] = {}
        for line in bench.stdout or ():  # each instrument, then the control port, then nothing until stopped
            if found := _RESOURCE.match(line.strip()):
                resources[found["tag"]] = found["resource"]
            elif "--control-port" in line:
                break
        if SCOPE not in resources:
            raise SystemExit(f"the simulated bench did not announce {SCOPE}")
        yield resources
    finally:
        bench.send_signal(signal.SIGINT)
        bench.wait(timeout=30)


class RawLink:
    """A plain TCP socket to the scope that reads replies and blocks exactly, with no VISA layer."""

    def __init__(self, host: str, port: int) -> None:
        self.socket = socket.create_connection((host, port), timeout=TIMEOUT_S)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as the lab's adapter sets it
        self.pending = bytearray()  # bytes received past what was asked for so far
        self.payload = bytearray()  # the block's data, reused while the size stays

    def fetch(self, *, crc: bool) -> Fetch:
        """Send the record's queries and read their replies; the block's data into ``payload``."""
        started = time.perf_counter()
        read = 0
        for query in RECORD_QUERIES[:-1]:
            self.socket.sendall(query)
            read += len(self.line())
        self.socket.sendall(RECORD_QUERIES[-1])
        header = self.exactly(2)
        digits = self.exactly(int(header[1:]))
        length = int(digits)
        if len(self.payload) != length:
            self.payload = bytearray(length)
        self.into(memoryview(self.payload))
        if self.exactly(1) != b"\n":
            raise SystemExit("the block does not end with a newline")
        seconds = time.perf_counter() - started
        read += len(header) + len(digits) + length + 1
        return Fetch(seconds, length, read, zlib.crc32(self.payload) if crc else None)

    def line(self) -> bytes:
        """Read up to and with the next newline."""
        while (end := self.pending.find(b"\n")) < 0:
            self.receive()
        line = bytes(self.pending[: end + 1])
        del self.pending[: end + 1]
        return line

    def exactly(self, count: int) -> bytes:
        """Read ``count`` bytes."""
        while len(self.pending) < count:
            self.receive()
        taken = bytes(self.pending[:count])
        del self.pending[:count]
        return taken

    def into(self, view: memoryview) -> None:
        """Fill ``view``: what is pending first, then straight from the socket."""
        filled = min(len(self.pending), len(view))
        view[:filled] = self.pending[:filled]
        del self.pending[:filled]
        while filled < len(view):
            count = self.socket.recv_into(view[filled:])
            if count == 0:
                raise SystemExit("the bench closed the connection")
            filled += count

    def receive(self) -> None:
        chunk = self.socket.recv(65536)
        if not chunk:
            raise SystemExit("the bench closed the connection")
        self.pending += chunk


def raw_worker(commands: Connection, resource: str) -> None:
    """Serve fetches over one raw socket, connected once, until told to stop."""
    _, host, port, _ = resource.split("::")  # TCPIP0::<host>::<port>::SOCKET
    link = RawLink(host, int(port))
    while (crc := commands.recv()) is not None:
        commands.send(link.fetch(crc=crc))
    link.socket.close()


def driver_worker(commands: Connection, resource: str) -> None:
    """Serve fetches through the lab's driver on one session, opened once, until told to stop."""
    with use_instrument("keysight_dsox3024t", resource, timeout_ms=int(TIMEOUT_S * 1000)) as connected:
        scope = connected.instrument
        while (crc := commands.recv()) is not None:
            commands.send(_driver_fetch(scope, crc=crc))


def _driver_fetch(scope: Any, *, crc: bool) -> Fetch:
    checksum = 0
    received = 0

    def sink(block: Waveform) -> None:
        nonlocal checksum, received
        received += block.raw.nbytes
        if crc:
            checksum = zlib.crc32(block.raw, checksum)

    started = time.perf_counter()
    scope.stream_waveform(sink)
    seconds = time.perf_counter() - started
    return Fetch(seconds, received, received, checksum if crc else None)


@contextmanager
def worker(target: Callable[[Connection, str], None], resource: str) -> Iterator[Callable[[bool], Fetch]]:
    """Run ``target`` in a fresh process; yield a function that asks it for one fetch (with a CRC or not)."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=target, args=(theirs, resource), daemon=True)
    process.start()

    def fetch(crc: bool) -> Fetch:
        ours.send(crc)
        reply: Fetch = ours.recv()
        return reply

    try:
        yield fetch
    finally:
        ours.send(None)
        process.join(timeout=30)


def acquire(resources: dict[str, str], points: int) -> None:
    """Drive the RC fixture with a square wave and take one acquisition of ``points`` on the scope."""
    with use_instrument("agilent33500", resources[AWG]) as awg:
        awg.instrument.shape = "SQU"
        awg.instrument.frequency = 1000
        awg.instrument.voltage_high = 1
        awg.instrument.voltage_low = 0
        awg.instrument.output = True
    with use_instrument("keysight_dsox3024t", resources[SCOPE], timeout_ms=int(TIMEOUT_S * 1000)) as connected:
        scope = connected.instrument
        scope.timebase_scale = 1e-4
        scope.ch_1.scale = 0.2
        scope.ch_1.offset = 0.5
        scope.configure_waveform_transfer(channel=1, points=points)
        scope.acquire(channel=1)


def measure(
    fetchers: dict[str, Callable[[bool], Fetch]], *, repeats: int, warmup: int
) -> tuple[dict[str, Fetch], dict[str, list[float]]]:
    """Fetch the record from each worker in turn: the warm-up rounds (the first with CRCs) are discarded.

    Returns:
        The first fetch of each, and the times of the kept ones.
    """
    names = list(fetchers)
    first = {name: fetch(True) for name, fetch in fetchers.items()}
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(max(0, warmup - 1) + repeats):
        for name in names if round_ % 2 == 0 else names[::-1]:
            fetched = fetchers[name](False)
            if round_ >= warmup - 1:
                seconds[name].append(fetched.seconds)
    return first, seconds


def report(points: int, first: dict[str, Fetch], seconds: dict[str, list[float]]) -> float:
    """Print one size's figures; get the driver/raw ratio of the median rates."""
    raw, driver = first["raw socket"], first["driver"]
    print(f"{points:,} int16 points, {raw.payload_bytes:,} payload bytes ({raw.read_bytes:,} read by the raw socket)")
    print(
        f"  same bytes: raw socket {raw.payload_bytes:,} (CRC-32 {raw.crc32:08x}), "
        f"driver {driver.payload_bytes:,} (CRC-32 {driver.crc32:08x})"
    )
    if (raw.payload_bytes, raw.crc32) != (driver.payload_bytes, driver.crc32):
        raise SystemExit("the driver and the raw socket read different records: a fast wrong answer is no result")
    rates = {}
    for name, times in seconds.items():
        mb = raw.payload_bytes / 1e6
        rates[name] = mb / statistics.median(times)
        print(
            f"  {name:<11} median {statistics.median(times) * 1e3:8.1f} ms ({min(times) * 1e3:.1f}–"
            f"{max(times) * 1e3:.1f})   {rates[name]:7.1f} MB/s ({mb / max(times):.1f}–{mb / min(times):.1f})"
        )
    ratio = rates["driver"] / rates["raw socket"]
    print(f"  driver/raw  {ratio:.2f}x")
    return ratio


def main() -> None:
    """Run the benchmark and print the figures per record size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", default="1000000,4000000", help="record sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=15, help="timed fetches a size, each")
    parser.add_argument("--warmup", type=int, default=3, help="fetches a size discarded first, each (at least 1)")
    arguments = parser.parse_args()
    sizes = [int(points) for points in arguments.points.split(",")]
    repeats, warmup = arguments.repeats, max(1, arguments.warmup)
    ratios = []
    with served_bench() as resources:
        print(f"{SCOPE} on the simulated bench, {repeats} fetches after {warmup} warm-up, alternating; three processes")
        with worker(raw_worker, resources[SCOPE]) as raw, worker(driver_worker, resources[SCOPE]) as driver:
            for points in sizes:
                acquire(resources, points)
                first, seconds = measure({"raw socket": raw, "driver": driver}, repeats=repeats, warmup=warmup)
                ratios.append(report(points, first, seconds))
    verdict = "met" if min(ratios) >= TARGET else "NOT met"
    print(f"target: driver >= {TARGET}x the raw socket at every size: {verdict} (lowest {min(ratios):.2f}x)")


if __name__ == "__main__":
    main()

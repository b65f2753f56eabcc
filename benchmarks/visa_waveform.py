"""How fast a large scope record crosses VISA, measured against a raw socket in the same run.

Run: ``uv run python benchmarks/visa_waveform.py [--points N] [--repeats K]``. Starts the simulated bench,
acquires one record of N int16 points on SCOPE-01 (the block is prepared once on the server side), and
times four ways of fetching the same record:

* the lab's driver (``KeysightDSOX3024T.read_waveform``: preamble, byte order, counted block read),
* pyvisa's ``query_binary_values`` on a plain resource (termination character on, 1 MiB chunks),
* ASCII values (``:WAV:FORM ASC``, fewer points, parsed to volts),
* a raw socket reading the same bytes (the baseline).

Rates are MB/s of int16-equivalent payload (2 bytes a point), so the ASCII line compares useful data.
"""

from __future__ import annotations

import argparse
import socket
import time
from collections.abc import Callable

import numpy as np
import pyvisa

from instruments.drivers import use_instrument
from instruments.sim import SimulatedBench

SCOPE = "SCOPE-01"


def check(condition: bool, failure: str) -> None:
    """Stop the benchmark if a path delivered the wrong data: a fast wrong answer is no result."""
    if not condition:
        raise SystemExit(failure)


def best_time(action: Callable[[], object], repeats: int) -> float:
    """Get the fastest of ``repeats`` runs of ``action``, in s."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def raw_socket_read(port: int, expected_bytes: int) -> bytes:
    """Ask for the block and read exactly its bytes on a connected socket (connect not timed)."""
    with socket.create_connection(("127.0.0.1", port)) as link:
        buffer = bytearray(expected_bytes)
        view = memoryview(buffer)
        started = time.perf_counter()
        link.sendall(b":WAV:DATA?\n")
        received = 0
        while received < expected_bytes:
            count = link.recv_into(view[received:])
            if count == 0:
                raise ConnectionError("the bench closed the connection")
            received += count
        raw_socket_read.elapsed_s = time.perf_counter() - started  # type: ignore[attr-defined]
    return bytes(buffer)


def configure(bench: SimulatedBench, *, points: int, data_format: str) -> None:
    """Drive the RC fixture with a square wave and acquire one record on the scope."""
    with use_instrument("agilent33500", bench.resource("AWG-01")) as awg:
        awg.instrument.shape = "SQU"
        awg.instrument.frequency = 1000
        awg.instrument.voltage_high = 1
        awg.instrument.voltage_low = 0
        awg.instrument.output = True
    with use_instrument("keysight_dsox3024t", bench.resource(SCOPE)) as connected:
        scope = connected.instrument
        scope.timebase_scale = 1e-4
        scope.ch_1.scale = 0.2
        scope.ch_1.offset = 0.5
        scope.configure_waveform_transfer(channel=1, points=points)
        scope.write(f":WAV:FORM {data_format}")  # ASCII is not a driver format: the lab keeps raw codes
        scope.acquire(channel=1)
        scope.ask(":WAV:PRE?")  # the server prepares the record and its block once, here


def main() -> None:
    """Run the benchmark and print one line per path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=4_000_000)
    parser.add_argument("--ascii-points", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=9)
    arguments = parser.parse_args()
    points, repeats = arguments.points, arguments.repeats
    payload_mb = points * 2 / 1e6
    rates: dict[str, float] = {}
    with SimulatedBench.from_yaml(base_port=0) as bench:
        configure(bench, points=points, data_format="WORD")
        expected = bench.last_waveform(SCOPE).raw

        with use_instrument("keysight_dsox3024t", bench.resource(SCOPE), timeout_ms=30_000) as connected:
            record = connected.instrument.read_waveform()
            check(np.array_equal(record.raw, expected), "the driver's record differs from the scope's")
            rates["driver read_waveform"] = payload_mb / best_time(connected.instrument.read_waveform, repeats)

        manager = pyvisa.ResourceManager("@py")
        resource = manager.open_resource(
            bench.resource(SCOPE), read_termination="\n", write_termination="\n", timeout=60_000
        )

        def query_binary() -> object:
            return resource.query_binary_values(":WAV:DATA?", datatype="h", container=np.array, chunk_size=1 << 20)

        check(np.array_equal(query_binary(), expected), "query_binary_values differs from the scope's record")
        rates["pyvisa query_binary_values"] = payload_mb / best_time(query_binary, max(1, repeats // 2))

        block_bytes = 2 + 8 + points * 2 + 1  # "#8", eight length digits as InfiniiVision scopes send, newline
        raw_times = []
        for _ in range(repeats):
            raw_socket_read(bench.port(SCOPE), block_bytes)
            raw_times.append(raw_socket_read.elapsed_s)  # type: ignore[attr-defined]
        rates["raw socket"] = payload_mb / min(raw_times)

        ascii_points = arguments.ascii_points
        configure(bench, points=ascii_points, data_format="ASC")

        def query_ascii() -> object:
            text = resource.query(":WAV:DATA?")
            digits = int(text[1])
            return np.array(text[2 + digits :].split(","), dtype=np.float64)

        volts = query_ascii()
        check(len(volts) == ascii_points, "the ASCII record has the wrong length")  # type: ignore[arg-type]
        rates[f"ASCII values ({ascii_points:,} points)"] = ascii_points * 2 / 1e6 / best_time(query_ascii, repeats)
        resource.close()

    baseline = rates["raw socket"]
    print(f"{points:,} int16 points ({payload_mb:.1f} MB) from the simulated {SCOPE}, best of {repeats}:")
    for name, rate in rates.items():
        print(f"  {name:<34} {rate:9.1f} MB/s   {rate / baseline:6.3f} x raw socket")


if __name__ == "__main__":
    main()

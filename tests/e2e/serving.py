"""``labsys serve`` in a process of its own, as a lab runs it: on the test's database, on a free port.

With ``--demo`` its simulated bench listens on ports the system picks, not the fixed ones of ``labsys sim``: another
demo on the machine may hold those.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["Served", "free_port", "serving"]


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running ``labsys serve``: its address, how long it took to answer, and (once stopped) what it printed."""

    base_url: str
    started_in_s: float
    output: str = ""


@contextmanager
def serving(
    database_url: str, data_dir: Path, *arguments: str, environment: dict[str, str] | None = None
) -> Iterator[Served]:
    """Run ``labsys serve *arguments`` until the block ends (then SIGINT, as a person stopping it would).

    Raises:
        AssertionError: it did not answer ``/api/health`` within a minute, or did not stop cleanly.
    """
    port = free_port()
    env = {
        **os.environ,
        "LABSYS_DATABASE_URL": database_url,
        "LABSYS_DATA_DIR": str(data_dir),
        "LABSYS_DEMO_BENCH_PORT": "0",
        **(environment or {}),
    }
    command = [sys.executable, "-m", "labsys", "serve", "--port", str(port), *arguments]
    began = time.monotonic()
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    served = Served(f"http://127.0.0.1:{port}", 0.0)
    try:
        served.started_in_s = _wait_for_health(served.base_url, server, began)
        yield served
    finally:
        server.send_signal(signal.SIGINT)
        try:
            served.output, _ = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            served.output, _ = server.communicate()
            raise AssertionError("labsys serve did not stop within a minute of SIGINT") from None


def _wait_for_health(base_url: str, server: subprocess.Popen[str], began: float) -> float:
    while time.monotonic() - began < 60:
        if server.poll() is not None:
            output, _ = server.communicate()
            raise AssertionError(f"labsys serve exited with {server.returncode}:\n{output}")
        try:
            if httpx.get(f"{base_url}/api/health", timeout=1).status_code == 200:
                return time.monotonic() - began
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("labsys serve did not answer /api/health within a minute")

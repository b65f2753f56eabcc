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
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

__all__ = ["Served", "free_port", "serving", "station_pids"]


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running ``labsys serve``: its address and process, how long it took to answer, and what it printed so far
    (its station's output included)."""

    base_url: str
    pid: int
    started_in_s: float = 0.0
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        """Everything it printed so far; all of it once the block of :func:`serving` has ended."""
        return "".join(self.lines)

    def wait_for_output(self, text: str, *, within_s: float = 30) -> None:
        """Return once the server has printed ``text``.

        Raises:
            AssertionError: it did not, within ``within_s``.
        """
        deadline = time.monotonic() + within_s
        while text not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"labsys serve did not print {text!r} within {within_s} s:\n{self.output}")
            time.sleep(0.05)


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
    served = Served(f"http://127.0.0.1:{port}", server.pid)
    # Read as it prints, so that a long test never finds the pipe full and the server blocked on it.
    reader = threading.Thread(target=_read_into, args=(server, served.lines), daemon=True)
    reader.start()
    try:
        served.started_in_s = _wait_for_health(served, server, began)
        yield served
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            raise AssertionError("labsys serve did not stop within a minute of SIGINT") from None
        finally:
            reader.join(timeout=60)  # until its station, which shares the pipe, has ended too
            if server.stdout is not None:
                server.stdout.close()


def _read_into(server: subprocess.Popen[str], lines: list[str]) -> None:
    assert server.stdout is not None
    for line in server.stdout:
        lines.append(line)


def _wait_for_health(served: Served, server: subprocess.Popen[str], began: float) -> float:
    while time.monotonic() - began < 60:
        if server.poll() is not None:
            server.wait()
            time.sleep(0.5)  # the rest of what it printed
            raise AssertionError(f"labsys serve exited with {server.returncode}:\n{served.output}")
        try:
            if httpx.get(f"{served.base_url}/api/health", timeout=1).status_code == 200:
                return time.monotonic() - began
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("labsys serve did not answer /api/health within a minute")


def station_pids(server_pid: int) -> list[int]:
    """The processes running ``labsys station`` that ``server_pid`` started (read from ``/proc``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # it ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server_pid and b"labsys" in command and b"station" in command:
            found.append(int(entry.name))
    return found

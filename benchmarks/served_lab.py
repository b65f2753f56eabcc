"""The demo lab as its users meet it: ``python -m labsys serve --demo`` in a subprocess, reached over HTTP only.

The server runs in a process group of its own, and is stopped as a person stops it (Ctrl-C), which stops its
station; nothing is left behind when the benchmark fails half-way. Its simulated bench listens on ports the
system picks (``LABSYS_DEMO_BENCH_PORT=0``), so a benchmark runs beside another demo or test suite on the machine.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["DEMO_PASSWORD", "ServedLab", "served_demo_lab"]

#: Every demo user's password, as ``serve --demo`` prints it.
DEMO_PASSWORD = "labsys-demo-2026"  # noqa: S105 - the demo's published password
REPOSITORY = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ServedLab:
    """A running lab: where it answers, its server's process, how long it took to answer, and where it logs (its
    station included)."""

    host: str
    port: int
    startup_s: float
    log: Path
    pid: int = 0

    @property
    def base_url(self) -> str:
        """The lab's address, e.g. ``http://127.0.0.1:8123``."""
        return f"http://{self.host}:{self.port}"

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client of the lab, signed in with ``token`` if given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=120.0)

    def sign_in(self, email: str) -> str:
        """A bearer token for the demo user ``email``."""
        with self.client() as client:
            response = client.post("/api/auth/token", json={"email": email, "password": DEMO_PASSWORD})
        response.raise_for_status()
        return str(response.json()["access_token"])


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _environment(data_dir: Path, settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without its ``LABSYS_*`` variables, plus the benchmark's settings."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("LABSYS_")}
    return {**inherited, "LABSYS_DATA_DIR": str(data_dir), "LABSYS_DEMO_BENCH_PORT": "0", **settings}


def _wait_for_health(server: subprocess.Popen[bytes], lab: ServedLab, began: float) -> float:
    """Seconds from ``began`` until ``GET /api/health`` answered 200."""
    with httpx.Client(base_url=lab.base_url, timeout=5.0) as client:
        while time.perf_counter() - began < STARTUP_TIMEOUT_S:
            if server.poll() is not None:
                raise SystemExit(f"serve --demo exited with {server.returncode}:\n{_tail(lab.log)}")
            with contextlib.suppress(httpx.TransportError):
                if client.get("/api/health").status_code == 200:
                    return time.perf_counter() - began
            time.sleep(0.05)
    raise SystemExit(f"serve --demo did not answer /api/health within {STARTUP_TIMEOUT_S:.0f} s:\n{_tail(lab.log)}")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as a person does (Ctrl-C), then make sure nothing of its process group is left."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            print(f"serve --demo did not stop within {STOP_TIMEOUT_S:.0f} s of SIGINT: killed")
            os.killpg(server.pid, signal.SIGKILL)
    # Its children (server processes with --workers) end soon after it, once reaped.
    deadline = time.perf_counter() + STOP_TIMEOUT_S
    while _group_alive(server.pid) and time.perf_counter() < deadline:
        time.sleep(0.1)
    if _group_alive(server.pid):
        print(f"processes of serve --demo still ran {STOP_TIMEOUT_S:.0f} s after it stopped: killed them")
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    print(f"serve --demo stopped on SIGINT with exit code {server.returncode}")


@contextlib.contextmanager
def served_demo_lab(data_dir: Path, settings: dict[str, str]) -> Iterator[ServedLab]:
    """``serve --demo`` on a free loopback port with ``settings`` (``LABSYS_*`` variables), until the block ends.

    Raises:
        SystemExit: the server did not start, or its database was not empty (the demo was not seeded).
    """
    host = "127.0.0.1"
    data_dir.mkdir(parents=True, exist_ok=True)
    lab = ServedLab(host, _free_port(host), 0.0, data_dir / "serve.log")
    command = [sys.executable, "-m", "labsys", "serve", "--demo", "--host", host, "--port", str(lab.port)]
    with lab.log.open("wb") as log:
        began = time.perf_counter()
        server = subprocess.Popen(
            command, cwd=REPOSITORY, env=_environment(data_dir, settings), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        startup_s = _wait_for_health(server, lab, began)
        if "demo lab seeded" not in lab.log.read_text(errors="replace"):
            raise SystemExit(f"the lab's database was not empty: the demo was not seeded\n{_tail(lab.log)}")
        yield ServedLab(lab.host, lab.port, startup_s, lab.log, server.pid)
    finally:
        _stop(server)

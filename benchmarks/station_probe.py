"""Watching a served lab from outside: its processes' memory, its station's log, and how fast a page answers.

Everything here reads what any operator can read: ``/proc`` (Linux), the server's console log, and HTTP.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["Latencies", "LatencyWatch", "Memory", "memory", "run_phases", "started_station"]

MIB = 2**20


def started_station(server_pid: int, log: Path, *, within_s: float = 60.0) -> int:
    """The process running ``labsys station`` that the server ``server_pid`` started, once it has logged to ``log``
    that it started (its drivers and procedures loaded).

    Raises:
        SystemExit: there is none within ``within_s``.
    """
    deadline = time.perf_counter() + within_s
    while time.perf_counter() < deadline:
        for pid in _children(server_pid):
            if f"started (process {pid})" in log.read_text(errors="replace"):
                return pid
        time.sleep(0.05)
    raise SystemExit(f"the server (process {server_pid}) started no station within {within_s:.0f} s")


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` and whose command line names a station."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # it ended meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"station" in command:
            found.append(int(entry.name))
    return found


@dataclass(frozen=True)
class Memory:
    """A process's resident memory now and its peak so far (``VmRSS`` and ``VmHWM``), in bytes."""

    resident: int
    peak: int


def memory(pid: int) -> Memory:
    """The resident and peak resident memory of process ``pid``."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return Memory(int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024)


def run_phases(log: Path, run_id: int, *, within_s: float = 10.0) -> dict[str, float]:
    """The seconds of each phase of run ``run_id`` as its station logged them (``run 7 completed: acquisition
    1.234 s, analysis 0.567 s, ...``); empty if it logged none within ``within_s``."""
    pattern = re.compile(rf"run {run_id} \w+: (.+ s)$", re.MULTILINE)
    deadline = time.perf_counter() + within_s
    while time.perf_counter() < deadline:
        found = pattern.search(log.read_text(errors="replace"))
        if found:
            phases = (part.rsplit(" ", 2) for part in found.group(1).split(", "))
            return {phase: float(seconds) for phase, seconds, _ in phases}
        time.sleep(0.1)
    return {}


@dataclass(frozen=True)
class Latencies:
    """Seconds a request took, each time it was asked."""

    seconds: list[float]

    def summary(self) -> str:
        """Median, 95th percentile and max in ms, and how many."""
        if not self.seconds:
            return "not measured"
        ms = sorted(s * 1000 for s in self.seconds)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return f"median {statistics.median(ms):5.0f} ms, p95 {p95:5.0f} ms, max {ms[-1]:5.0f} ms ({len(ms)} requests)"


class LatencyWatch:
    """Asks ``path`` every ``interval_s`` on a thread of its own while the block runs; every answer must be 200."""

    def __init__(self, client: httpx.Client, path: str, *, interval_s: float = 0.1) -> None:
        self.client, self.path, self.interval_s = client, path, interval_s
        self.latencies = Latencies([])
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> LatencyWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval_s):
            began = time.perf_counter()
            status = self.client.get(self.path).status_code
            self.latencies.seconds.append(time.perf_counter() - began)
            if status != 200:
                self.failures.append(f"{self.path} answered {status}")

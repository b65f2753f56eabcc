"""A simulated bench served by a process of its own (``labsys sim`` or ``python -m instruments.sim``), as a lab
runs it: on ports the system picks, with its control port, stopped (SIGINT) when the block ends."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["SIM_MODULE", "ServedBench", "served_bench"]

#: Serve the bench with ``python -m instruments.sim`` (``labsys sim`` takes the same options).
SIM_MODULE = ("instruments.sim",)
_RESOURCE = re.compile(r"^(?P<tag>\S+)\s.*\s(?P<resource>TCPIP0::\S+::SOCKET)$")
_CONTROL = re.compile(r"--control-port (?P<port>\d+)")


@dataclass
class ServedBench:
    """A running bench process: each instrument's VISA resource, and the control port."""

    pid: int
    resources: dict[str, str]
    control_port: int


@contextmanager
def served_bench(module: Sequence[str] = SIM_MODULE, *, within_s: float = 30) -> Iterator[ServedBench]:
    """Run ``python -m <module> --base-port 0 --control-port 0`` until the block ends.

    Raises:
        AssertionError: it did not announce its instruments and control port within ``within_s``.
    """
    command = [sys.executable, "-m", *module, "--base-port", "0", "--control-port", "0"]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    bench = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield _announced(bench, within_s)
    finally:
        bench.send_signal(signal.SIGINT)
        try:
            bench.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bench.kill()
            bench.wait()
        if bench.stdout is not None:
            bench.stdout.close()


def _announced(bench: subprocess.Popen[str], within_s: float) -> ServedBench:
    assert bench.stdout is not None
    deadline = time.monotonic() + within_s
    resources: dict[str, str] = {}
    printed: list[str] = []
    for line in bench.stdout:  # it prints each instrument, then the control port, then nothing until stopped
        printed.append(line)
        if found := _RESOURCE.match(line.strip()):
            resources[found["tag"]] = found["resource"]
        elif found := _CONTROL.search(line):
            return ServedBench(bench.pid, resources, int(found["port"]))
        if time.monotonic() > deadline:
            break
    raise AssertionError("the bench did not announce its control port:\n" + "".join(printed))

"""Each simulated instrument serves on its own: one instrument's work never delays another's replies.

The bench runs in a process of its own, as ``labsys sim`` does, and the scope's client in another: the
clients' own work (pyvisa-py reading 8 MB) then competes with nothing of the bench's, nor with the SMU's client.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import pyvisa

from tests.instruments.sim.served_bench import ServedBench, served_bench

pytestmark = [pytest.mark.integration, pytest.mark.slow]

_RECORD_POINTS = 4_000_000
_SAMPLES = 20
_Session = pyvisa.resources.MessageBasedResource


@pytest.fixture(scope="module")
def served() -> Iterator[ServedBench]:
    with served_bench() as served:
        yield served


def _open(manager: pyvisa.ResourceManager, resource: str) -> _Session:
    session = manager.open_resource(resource, read_termination="\n", write_termination="\n", timeout=30_000)
    assert isinstance(session, _Session)
    return session


def _idn_round_trips_s(smu: _Session, *, until: threading.Event | None = None) -> list[float]:
    """``*IDN?`` round trips: ``_SAMPLES`` of them, or as many as fit until ``until`` is set (one at least)."""
    trips: list[float] = []
    while not trips or (len(trips) < _SAMPLES if until is None else not until.is_set()):
        began = time.perf_counter()
        smu.query("*IDN?")
        trips.append(time.perf_counter() - began)
        time.sleep(0.005)
    return trips


_SCOPE_CLIENT = """
import sys, pyvisa
scope = pyvisa.ResourceManager("@py").open_resource(
    sys.argv[1], read_termination="\\n", write_termination="\\n", timeout=30_000
)
scope.write(f":WAV:FORM WORD;:WAV:POIN {sys.argv[2]};:DIG CHAN1")
print(len(scope.query_binary_values(":WAV:DATA?", datatype="h", is_big_endian=True, expect_termination=True)))
"""


def _acquire_and_transfer(resource: str, points: list[int], done: threading.Event) -> None:
    """Have another process acquire and read a 4 M-point record from the scope."""
    try:
        command = [sys.executable, "-c", _SCOPE_CLIENT, resource, str(_RECORD_POINTS)]
        ended = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
        points.append(int(ended.stdout))
    finally:
        done.set()


def test_a_4m_point_record_on_the_scope_does_not_delay_the_smu_s_idn_by_more_than_50_ms(served: ServedBench) -> None:
    smu = _open(pyvisa.ResourceManager("@py"), served.resources["SMU-01"])
    points: list[int] = []
    try:
        idle = _idn_round_trips_s(smu)
        done = threading.Event()
        worker = threading.Thread(target=_acquire_and_transfer, args=(served.resources["SCOPE-01"], points, done))
        worker.start()
        busy = _idn_round_trips_s(smu, until=done)
        worker.join(timeout=60)
    finally:
        smu.close()
    assert points == [_RECORD_POINTS]
    assert len(busy) >= _SAMPLES, f"only {len(busy)} *IDN? while the scope built and sent its record"
    # Against the same run's idle figure, so that a loaded machine slows both alike.
    delay_s = max(busy) - statistics.median(idle)
    assert delay_s < 0.050, f"*IDN? came {delay_s * 1e3:.0f} ms late while the scope built and sent 4 M points"

"""Each simulated instrument serves on its own: one instrument's work never delays another's replies."""

from __future__ import annotations

import statistics
import threading
import time

import pytest
import pyvisa

from instruments.sim import SimulatedBench

pytestmark = pytest.mark.integration

_RECORD_POINTS = 4_000_000
_SAMPLES = 20


def _open(manager: pyvisa.ResourceManager, resource: str) -> pyvisa.resources.MessageBasedResource:
    session = manager.open_resource(resource, read_termination="\n", write_termination="\n", timeout=30_000)
    assert isinstance(session, pyvisa.resources.MessageBasedResource)
    return session


def _idn_round_trips_s(smu: pyvisa.resources.MessageBasedResource, *, until: threading.Event | None) -> list[float]:
    """``*IDN?`` round trips: ``_SAMPLES`` of them, or as many as fit until ``until`` is set (at least one)."""
    trips: list[float] = []
    while (until is None and len(trips) < _SAMPLES) or (until is not None and not (trips and until.is_set())):
        began = time.perf_counter()
        smu.query("*IDN?")
        trips.append(time.perf_counter() - began)
        time.sleep(0.005)
    return trips


def _acquire_and_transfer(scope: pyvisa.resources.MessageBasedResource, done: threading.Event) -> None:
    try:
        scope.write(f":WAV:FORM WORD;:WAV:POIN {_RECORD_POINTS};:DIG CHAN1")
        values = scope.query_binary_values(":WAV:DATA?", datatype="h", header_fmt="ieee", expect_termination=True)
        assert len(values) == _RECORD_POINTS
    finally:
        done.set()


def test_a_4m_point_record_on_the_scope_does_not_delay_the_smu_s_idn_by_more_than_50_ms(
    bench: SimulatedBench,
) -> None:
    manager = pyvisa.ResourceManager("@py")
    smu, scope = _open(manager, bench.resource("SMU-01")), _open(manager, bench.resource("SCOPE-01"))
    try:
        scope.write("*RST")
        idle = _idn_round_trips_s(smu, until=None)
        done = threading.Event()
        worker = threading.Thread(target=_acquire_and_transfer, args=(scope, done))
        worker.start()
        busy = _idn_round_trips_s(smu, until=done)
        worker.join(timeout=60)
    finally:
        smu.close()
        scope.close()
    idle_s = statistics.median(idle)
    print(f"idle median {idle_s*1e3:.1f} ms, worst {max(idle)*1e3:.1f} ms; busy worst {max(busy)*1e3:.1f} ms over {len(busy)}")
    assert len(busy) >= 3, "the scope finished before the SMU was asked while it worked"
    assert max(busy) - idle_s < 0.050, f"*IDN? took {max(busy) * 1e3:.0f} ms while the scope worked"

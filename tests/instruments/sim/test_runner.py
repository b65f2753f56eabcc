"""``labsys sim`` serves the demo bench until told to stop, announcing its time scale, every instrument and its
control port."""

from __future__ import annotations

import threading

import pytest

from instruments.sim import run_bench_forever

pytestmark = pytest.mark.integration


def test_the_bench_runs_until_stopped_and_announces_each_instrument_and_the_control_port() -> None:
    lines: list[str] = []
    stop = threading.Event()
    runner = threading.Thread(
        target=run_bench_forever,
        args=(None, "127.0.0.1", 0),
        kwargs={"announce": lines.append, "stop": stop, "control_port": 0, "time_scale": 0.25},
    )
    runner.start()
    try:
        for _ in range(100):
            if len(lines) == 9:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        runner.join(5)
    assert not runner.is_alive()
    assert len(lines) == 9
    assert lines[0].startswith("time: 0.25 s on the wall clock per second")
    assert lines[1].startswith("SMU-01")
    assert "::SOCKET" in lines[1]
    assert lines[8].startswith("faults: labsys sim fault TAG KIND --control-port ")

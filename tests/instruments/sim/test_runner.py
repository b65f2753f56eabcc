"""``labsys sim`` serves the demo bench until told to stop, announcing every instrument."""

from __future__ import annotations

import threading

import pytest

from instruments.sim import run_bench_forever

pytestmark = pytest.mark.integration


def test_the_bench_runs_until_stopped_and_announces_each_instrument() -> None:
    lines: list[str] = []
    stop = threading.Event()
    runner = threading.Thread(
        target=run_bench_forever, args=(None, "127.0.0.1", 0), kwargs={"announce": lines.append, "stop": stop}
    )
    runner.start()
    try:
        for _ in range(100):
            if len(lines) == 7:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        runner.join(5)
    assert not runner.is_alive()
    assert len(lines) == 7
    assert lines[0].startswith("SMU-01")
    assert "::SOCKET" in lines[0]

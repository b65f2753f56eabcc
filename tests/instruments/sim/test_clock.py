"""The bench's clock: hardware seconds passed on the wall clock times the bench's time scale."""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

import pytest

from instruments.sim import BenchConfigError, SimulatedBench, load_bench_spec
from instruments.sim.clock import SimulatedClock


def test_a_wait_lasts_the_hardware_time_times_the_scale() -> None:
    clock = SimulatedClock(0.01)
    began = time.perf_counter()
    assert clock.wait(2.0)
    assert time.perf_counter() - began >= 0.02
    assert clock.now_s() >= 2.0


def test_an_endless_wait_ends_when_interrupted_and_says_so() -> None:
    clock, interrupt = SimulatedClock(1.0), threading.Event()
    threading.Timer(0.05, interrupt.set).start()
    assert clock.wait(math.inf, interrupt=interrupt) is False


@pytest.mark.parametrize("scale", [0.0, -1.0, math.inf, math.nan])
def test_a_time_scale_must_be_a_number_above_zero(scale: float) -> None:
    with pytest.raises(ValueError, match="time_scale"):
        SimulatedClock(scale)


def test_the_demo_bench_runs_at_a_tenth_of_real_time_unless_told_otherwise() -> None:
    assert load_bench_spec().time_scale == 0.1
    assert SimulatedBench.from_yaml(time_scale=1.0).clock.time_scale == 1.0


@pytest.mark.parametrize("written", ["0", "-2", "fast"])
def test_a_bench_description_with_a_time_scale_that_is_not_above_zero_is_refused(tmp_path: Path, written: str) -> None:
    path = tmp_path / "bench.yaml"
    path.write_text(f"time_scale: {written}\ninstruments: []\n", encoding="utf-8")
    with pytest.raises(BenchConfigError, match="time_scale"):
        load_bench_spec(path)

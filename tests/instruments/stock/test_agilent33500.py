"""PyMeasure's own Agilent33500 driver on the simulated 33522B: both channels, bursts, pulses, arbitrary waveforms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pymeasure.instruments.agilent import Agilent33500

from instruments.sim import SimulatedBench
from tests.instruments.stock.calls import (
    StockCall,
    control,
    identifies_as,
    method,
    run_catalogue,
    setting,
    unexpected,
)

pytestmark = pytest.mark.integration


def drives_the_fixture(high_v: float, low_v: float) -> Callable[[Any, SimulatedBench, Any], None]:
    """The RC network on channel 1 settles at the open-circuit levels set (load INF), within 1 % + 1 mV."""

    def check(driver: Any, bench: SimulatedBench, result: object) -> None:
        step = bench.circuit_truth("AWG-01")
        assert step.high_v / step.dc_gain == pytest.approx(high_v, abs=0.01 * abs(high_v) + 0.002)
        assert step.low_v / step.dc_gain == pytest.approx(low_v, abs=0.01 * abs(high_v - low_v) + 0.002)

    return check


def asks(query: str, answer: str) -> Callable[[Any, SimulatedBench, Any], None]:
    def check(driver: Any, bench: SimulatedBench, result: object) -> None:
        assert str(driver.ask(query)).strip() == answer

    return check


def channel(number: int, call: StockCall) -> StockCall:
    """The same call on ``driver.ch_<number>``."""

    def run(driver: Any, bench: SimulatedBench) -> None:
        call.run(getattr(driver, f"ch_{number}"), bench)

    return StockCall(f"ch_{number}.{call.name}", run)


CALLS: list[StockCall] = [
    method("id", check=identifies_as("AWG-01")),
    method("reset"),
    method("clear"),
    method("complete"),
    control("shape", "SQU", ask=("SOURce1:FUNCtion?", "SQU")),
    control("frequency", 1000.0, ask=("SOURce1:FREQuency?", 1000.0)),
    control("amplitude", 2.0, ask=("SOURce1:VOLTage:AMPLitude?", 2.0)),
    control("amplitude_unit", "VRMS"),
    control("amplitude_unit", "VPP"),
    control("offset", 0.5, ask=("SOURce1:VOLTage:OFFSet?", 0.5)),
    control("voltage_high", 1.0),
    control("voltage_low", 0.0, ask=("SOURce1:VOLTage:AMPLitude?", 1.0)),
    control("phase", 90.0),
    control("square_dutycycle", 25.0),
    control("square_dutycycle", 50.0),
    control("output_load", "INF", read=9.9e37, ask=("OUTPut1:LOAD?", 9.9e37)),
    control("output", True, ask=("OUTPut1:STATe?", "1")),
    method("complete", check=drives_the_fixture(1.0, 0.0)),
    control("output_load", 1000, read=1000.0),
    control("output_load", "INF", read=9.9e37),
    control("ramp_symmetry", 30.0),
    control("shape", "PULS"),
    control("pulse_period", 2e-3, ask=("SOURce1:FREQuency?", 500.0)),
    control("pulse_hold", "WIDT"),
    control("pulse_width", 5e-4),
    control("pulse_dutycycle", 40.0, ask=("SOURce1:FUNCtion:PULSe:WIDTh?", 8e-4)),
    control("pulse_transition", 1e-8),
    control("shape", "SQU"),
    control("burst_state", True),
    control("burst_mode", "GAT"),
    control("burst_period", 0.01),
    control("burst_ncycles", 5),
    control("burst_state", False),
    method("data_volatile_clear"),
    method("data_arb", "ramp", range(-10000, 10000, 20), data_format="DAC"),
    control("arb_file", "RAMP", read='"RAMP"'),
    control("arb_advance", "SRAT"),
    control("arb_filter", "STEP"),
    control("arb_srate", 1e6),
    control("trigger_source", "BUS"),
    control("ext_trig_out", True),
    method("trigger"),
    method("wait_for_trigger", timeout=1),
    method("phase_sync"),
    method("beep"),
    setting("display", "labsys", ask=("DISPlay:TEXT?", '"labsys"')),
    method("clear_display"),
    channel(2, control("shape", "SIN", ask=("SOURce2:FUNCtion?", "SIN"))),
    channel(2, control("frequency", 2e3, ask=("SOURce2:FREQuency?", 2000.0))),
    channel(2, control("amplitude", 1.5)),
    channel(2, control("offset", -0.25)),
    channel(2, control("output_load", 50, read=50.0)),
    channel(2, control("output", True, ask=("OUTPut2?", "1"))),
    channel(2, control("burst_state", True)),
    channel(2, control("output", False)),
    channel(1, control("voltage_high", 2.0)),
    channel(1, control("voltage_low", 1.0)),
    method("complete", check=drives_the_fixture(2.0, 1.0)),
    control("output", False, ask=("OUTP?", "0")),
    method("shutdown"),
]

#: The calls a real 33522B refuses: none.
REFUSED: dict[str, str] = {}


def test_the_stock_agilent33500_works(bench: SimulatedBench, stock_driver: Callable[..., Any]) -> None:
    outcome = run_catalogue("Agilent33500", stock_driver(Agilent33500, "AWG-01"), bench, CALLS, REFUSED)
    assert outcome.failures.keys() == REFUSED.keys(), unexpected(outcome, REFUSED)

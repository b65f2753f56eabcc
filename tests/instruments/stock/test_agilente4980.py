"""PyMeasure's own AgilentE4980 driver on the simulated E4980A: settings, every measured pair, the list sweep."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from pymeasure.instruments.agilent import AgilentE4980

from instruments.accuracy import LCR_BASIC
from instruments.sim import Capacitor, SimulatedBench
from tests.instruments.stock.calls import StockCall, control, expect, identifies_as, method, run_catalogue, unexpected

pytestmark = pytest.mark.integration


def capacitor(bench: SimulatedBench) -> Capacitor:
    dut = bench.truth("LCR-01")
    assert isinstance(dut, Capacitor)
    return dut


def margin(dut: Capacitor, frequency_hz: float) -> float:
    """The meter's basic accuracy Ae at this frequency and |Z|, with 5 sigma of the fixture's noise."""
    return LCR_BASIC.relative(frequency_hz, abs(dut.impedance_ohm(frequency_hz))) + 5 * dut.relative_noise + 1e-4


def reads(mode: str, frequency_hz: float) -> Callable[[Any, SimulatedBench, Any], None]:
    """The pair ``impedance`` answers is the capacitor's, in ``mode``, at ``frequency_hz``."""

    def check(driver: Any, bench: SimulatedBench, pair: list[float]) -> None:
        dut = capacitor(bench)
        z, tolerance = dut.impedance_ohm(frequency_hz), margin(dut, frequency_hz)
        # Cp and |Z| are good to Ae of themselves; D to Ae absolute, so R = D |X| to Ae |Z|, and the phase to Ae rad.
        expected, absolute = {
            "CPD": ((dut.parallel_capacitance_f(frequency_hz), dut.dissipation_factor(frequency_hz)), (0.0, tolerance)),
            "ZTD": ((abs(z), math.degrees(math.atan2(z.imag, z.real))), (0.0, math.degrees(tolerance))),
            "RX": ((z.imag, z.real), (0.0, tolerance * abs(z))),
        }[mode]
        primary, secondary = (pair[1], pair[0]) if mode == "RX" else (pair[0], pair[1])
        assert primary == pytest.approx(expected[0], rel=tolerance, abs=absolute[0])
        assert secondary == pytest.approx(expected[1], rel=tolerance, abs=absolute[1])

    return check


def measure_in(mode: str, frequency_hz: float) -> StockCall:
    def run(driver: Any, bench: SimulatedBench) -> None:
        driver.mode = mode
        driver.frequency = frequency_hz
        reads(mode, frequency_hz)(driver, bench, driver.impedance)

    return StockCall(f"impedance ({mode} at {frequency_hz:g} Hz)", run)


def sweeps_the_list(driver: Any, bench: SimulatedBench, result: tuple[list[float], list[float], list[float]]) -> None:
    capacitances, dissipations, frequencies = result
    dut = capacitor(bench)
    assert frequencies == [1e3, 1e4, 1e5]
    for frequency, cp, d in zip(frequencies, capacitances, dissipations, strict=True):
        assert cp == pytest.approx(dut.parallel_capacitance_f(frequency), rel=margin(dut, frequency))
        assert d == pytest.approx(dut.dissipation_factor(frequency), abs=margin(dut, frequency))


CALLS: list[StockCall] = [
    method("id", check=identifies_as("LCR-01")),
    method("reset"),
    method("clear"),
    method("complete"),
    control("ac_voltage", 0.5, ask=(":SOURce:VOLTage:LEVel?", 0.5)),
    control("ac_current", 0.01),
    control("frequency", 1e4, ask=(":SOURce:FREQuency:CW?", 1e4)),
    control("mode", "CSRS"),
    control("trigger_source", "INT"),
    method("aperture", "LONG", 4),
    method("aperture", check=expect(lambda driver, bench, value: value == ("LONG", 4), "('LONG', 4)")),
    measure_in("CPD", 1e3),
    measure_in("CPD", 1e5),
    measure_in("ZTD", 1e4),
    measure_in("RX", 1e6),
    control("mode", "CPD"),
    method("freq_sweep", [1e3, 1e4, 1e5], return_freq=True, check=sweeps_the_list),
    control("trigger_source", "HOLD", ask=(":TRIGger:SOURce?", "HOLD")),
    method("check_errors", check=expect(lambda driver, bench, errors: errors == [], "no error")),
    method("shutdown"),
]

#: The calls a real E4980A refuses: none.
REFUSED: dict[str, str] = {}


def test_the_stock_agilente4980_works(bench: SimulatedBench, stock_driver: Callable[..., Any]) -> None:
    outcome = run_catalogue("AgilentE4980", stock_driver(AgilentE4980, "LCR-01"), bench, CALLS, REFUSED)
    assert outcome.failures.keys() == REFUSED.keys(), unexpected(outcome, REFUSED)

"""PyMeasure's own Agilent34410A driver on the simulated 34410A: every documented measurement works."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pymeasure.instruments.agilent import Agilent34410A

from instruments.accuracy import MODEL_ACCURACY
from instruments.sim import Resistor, SimulatedBench
from tests.instruments.stock.calls import StockCall, expect, identifies_as, method, run_catalogue, unexpected

pytestmark = pytest.mark.integration

RESISTANCE = MODEL_ACCURACY["agilent34410a"]["resistance_4w"]


def resistor_ohm(bench: SimulatedBench) -> float:
    resistor = bench.truth("DMM-01")
    assert isinstance(resistor, Resistor)
    return resistor.resistance_ohm(bench.temperature_c("DMM-01"))


def reads_the_resistor(*, leads: bool) -> Callable[[Any, SimulatedBench, Any], None]:
    def check(driver: Any, bench: SimulatedBench, ohm: float) -> None:
        resistor = bench.truth("DMM-01")
        assert isinstance(resistor, Resistor)
        true_ohm = resistor_ohm(bench) + (2 * resistor.lead_resistance_ohm if leads else 0.0)
        assert ohm == pytest.approx(true_ohm, abs=RESISTANCE.half_width(true_ohm) + 0.01)

    return check


def reads_near_zero(limit: float) -> Callable[[Any, SimulatedBench, Any], None]:
    def check(driver: Any, bench: SimulatedBench, value: float) -> None:
        assert abs(value) < limit  # nothing drives the input: the meter's offset and noise

    return check


CALLS: list[StockCall] = [
    method("id", check=identifies_as("DMM-01")),
    method("reset"),
    method("clear"),
    method("complete", check=expect(lambda driver, bench, reply: reply == "1", "1")),
    method("status"),
    method("options"),
    method("check_errors", check=expect(lambda driver, bench, errors: errors == [], "no error")),
    method("voltage_dc", check=reads_near_zero(1e-3)),
    method("voltage_ac", check=reads_near_zero(1e-3)),
    method("current_dc", check=reads_near_zero(1e-6)),
    method("current_ac", check=reads_near_zero(1e-6)),
    method("resistance", check=reads_the_resistor(leads=True)),
    method("resistance_4w", check=reads_the_resistor(leads=False)),
    method("shutdown"),
]

#: The calls a real 34410A refuses: none.
REFUSED: dict[str, str] = {}


def test_the_stock_agilent34410a_works(bench: SimulatedBench, stock_driver: Callable[..., Any]) -> None:
    outcome = run_catalogue("Agilent34410A", stock_driver(Agilent34410A, "DMM-01"), bench, CALLS, REFUSED)
    assert outcome.failures.keys() == REFUSED.keys(), unexpected(outcome, REFUSED)

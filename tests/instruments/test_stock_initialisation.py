"""The project's drivers keep what their stock PyMeasure drivers set up at construction, and say where they differ.

Where a project driver differs from stock, the test names why:

- E4980A: the stock ``__init__`` writes ``FORM ASC`` and asks for 30 s; the project driver sends nothing when built (a
  station builds drivers before it owns the instrument), sends ``FORM ASC`` once connected, and the 30 s is the
  VISA session's timeout (the stock ``self.timeout`` is an attribute no read uses).
- DSOX3024T: PyMeasure has no class for it; its InfiniiVision sibling (DSOX1102G) asks for 6 s, and so does it.
- 34410A: the stock class warns on every construction that SCPI support is unknown; the 34410A is SCPI.
- F4T: no stock driver; its manual lists no ``*CLS``/``*OPC?``/``SYST:ERR?``, so none is sent, and °C is set.
"""

from __future__ import annotations

import warnings

import pytest
from pymeasure.instruments.agilent import AgilentE4980 as StockAgilentE4980
from pymeasure.instruments.keysight import KeysightDSOX1102G
from pymeasure.test import expected_protocol

from instruments.agilent import Agilent34410A, AgilentE4980
from instruments.drivers import DEFAULT_TIMEOUT_MS, DRIVERS, connect, use_instrument
from instruments.errors import InstrumentProtocolError
from instruments.sim import SimulatedBench
from instruments.watlow import WatlowF4T


def _session_timeout_ms(connected: object) -> float:
    return float(connected.instrument.adapter.connection.timeout)  # type: ignore[attr-defined]


@pytest.mark.unit
@pytest.mark.filterwarnings("ignore:It is not known whether this device:FutureWarning")
def test_the_e4980_stock_init_writes_ascii_format_and_the_project_driver_sends_it_once_connected() -> None:
    with expected_protocol(StockAgilentE4980, [("FORM ASC", None)]) as stock:
        assert stock.timeout == AgilentE4980.TIMEOUT_MS == 30_000
    with expected_protocol(AgilentE4980, [("FORM ASC", None)]) as lcr:  # nothing at construction
        lcr.prepare()


@pytest.mark.unit
def test_drivers_without_a_stock_timeout_wait_five_seconds() -> None:
    assert DRIVERS["keithley2450"].timeout_ms == DEFAULT_TIMEOUT_MS == 5000
    assert DRIVERS["agilent34410a"].timeout_ms == DEFAULT_TIMEOUT_MS


@pytest.mark.unit
def test_the_34410a_is_built_without_the_stock_unknown_scpi_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with expected_protocol(Agilent34410A, []):
            pass


@pytest.mark.unit
def test_the_chamber_is_set_to_celsius_and_read_back() -> None:
    with expected_protocol(WatlowF4T, [(":UNIT:TEMPERATURE C", None), (":UNIT:TEMPERATURE?", "C")]) as chamber:
        chamber.prepare()


@pytest.mark.unit
def test_a_chamber_that_stays_in_fahrenheit_is_refused() -> None:
    with (
        expected_protocol(WatlowF4T, [(":UNIT:TEMPERATURE C", None), (":UNIT:TEMPERATURE?", "F")]) as chamber,
        pytest.raises(InstrumentProtocolError, match="'F'"),
    ):
        chamber.prepare()


@pytest.mark.integration
@pytest.mark.filterwarnings("ignore:It is not known whether this device:FutureWarning")
def test_the_scope_opens_with_the_timeout_pymeasures_infiniivision_driver_opens_with(bench: SimulatedBench) -> None:
    stock = KeysightDSOX1102G(bench.resource("SCOPE-01"), visa_library="@py")
    try:
        stock_timeout_ms = float(stock.adapter.connection.timeout)
    finally:
        stock.adapter.close()
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01")) as scope:
        assert _session_timeout_ms(scope) == stock_timeout_ms == 6000


@pytest.mark.integration
def test_the_lcr_meter_opens_with_its_stock_30_s_and_the_smu_with_5_s(bench: SimulatedBench) -> None:
    with use_instrument("agilente4980", bench.resource("LCR-01")) as lcr:
        assert _session_timeout_ms(lcr) == 30_000
    with use_instrument("keithley2450", bench.resource("SMU-01")) as smu:
        assert _session_timeout_ms(smu) == DEFAULT_TIMEOUT_MS


@pytest.mark.integration
def test_a_timeout_the_caller_names_overrides_the_drivers_own(bench: SimulatedBench) -> None:
    connected = connect("agilente4980", bench.resource("LCR-01"), timeout_ms=1500)
    try:
        assert _session_timeout_ms(connected) == 1500
    finally:
        connected.close()


@pytest.mark.integration
def test_the_chamber_connects_in_celsius_without_status_commands_its_manual_does_not_list(
    bench: SimulatedBench,
) -> None:
    with use_instrument("watlow_f4t", bench.resource("CHAMBER-01")) as chamber:
        assert chamber.instrument.temperature_units == "C"
        assert not chamber.status_reporting


@pytest.mark.integration
def test_a_chamber_left_in_fahrenheit_is_set_back_to_celsius_when_connected(bench: SimulatedBench) -> None:
    with use_instrument("watlow_f4t", bench.resource("CHAMBER-01")) as chamber:
        chamber.instrument.temperature_units = "F"
        chamber.instrument.temperature_setpoint = 77  # °F, as a program that left the units so would mean it
        assert chamber.instrument.temperature_setpoint == pytest.approx(77.0)

    with use_instrument("watlow_f4t", bench.resource("CHAMBER-01")) as chamber:
        assert chamber.instrument.temperature_units == "C"
        assert chamber.instrument.temperature_setpoint == pytest.approx(25.0)
        chamber.instrument.temperature_setpoint = 23

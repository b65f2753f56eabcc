"""PyMeasure's own Keithley2450 driver on the simulated 2450: what works, and what a real 2450 refuses too."""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Callable
from typing import Any

import pytest
from pymeasure.instruments.keithley import Keithley2450

from instruments.sim import Diode, SimulatedBench
from tests.instruments.stock.calls import StockCall, control, identifies_as, method, run_catalogue, unexpected

pytestmark = pytest.mark.integration


def diode(bench: SimulatedBench) -> tuple[Diode, float]:
    dut = bench.truth("SMU-01")
    assert isinstance(dut, Diode)
    return dut, bench.temperature_c("SMU-01")


def current_at_0_65_v(driver: Any, bench: SimulatedBench, current: float) -> None:
    dut, temperature = diode(bench)
    with_leads = dataclasses.replace(dut, series_resistance_ohm=dut.series_resistance_ohm + 2 * dut.lead_resistance_ohm)
    assert 0.9 * with_leads.current_a(0.64, temperature) <= current <= 1.1 * dut.current_a(0.66, temperature)


def voltage_at_1_ma(driver: Any, bench: SimulatedBench, voltage: float) -> None:
    dut, temperature = diode(bench)
    assert voltage == pytest.approx(dut.voltage_v(1e-3, temperature), abs=0.02)  # two-wire: the leads' 0.1 mV too


def resistance_at_1_ma(driver: Any, bench: SimulatedBench, resistance: float) -> None:
    dut, temperature = diode(bench)
    assert resistance == pytest.approx(dut.voltage_v(1e-3, temperature) / 1e-3, rel=0.03)


def read_three_voltages(driver: Any, bench: SimulatedBench) -> list[float]:
    driver.write(':TRAC:CLE "defbuffer1"')
    return [float(driver.voltage) for _ in range(3)]


def buffer_statistic(name: str, compute: Callable[[list[float]], float]) -> StockCall:
    def run(driver: Any, bench: SimulatedBench) -> None:
        readings = read_three_voltages(driver, bench)
        # The readings come with 7 digits; the instrument computes from its own.
        assert getattr(driver, name) == pytest.approx(compute(readings), rel=1e-5, abs=1e-6)

    return StockCall(name, run)


def source_enabled_is(state: bool) -> Callable[[Any, SimulatedBench, Any], None]:
    def check(driver: Any, bench: SimulatedBench, result: object) -> None:
        assert driver.source_enabled is state

    return check


def asks(query: str, answer: str) -> Callable[[Any, SimulatedBench, Any], None]:
    def check(driver: Any, bench: SimulatedBench, result: object) -> None:
        assert str(driver.ask(query)).strip() == answer

    return check


def is_value(expected: object) -> Callable[[Any, SimulatedBench, Any], None]:
    def check(driver: Any, bench: SimulatedBench, result: object) -> None:
        assert result == expected

    return check


CALLS: list[StockCall] = [
    method("id", check=identifies_as("SMU-01")),
    method("reset", check=asks(":SOUR:VOLT?", "0.000000E+00")),
    method("clear", check=asks("*ESR?", "0")),
    method("complete", check=is_value("1")),
    method("status", check=is_value("0")),
    method("options"),
    method("next_error", check=is_value([0, '"No error"'])),
    method("check_errors", check=is_value([])),
    method("apply_voltage", compliance_current=0.1, check=asks(":SOUR:FUNC?", "VOLT")),
    control("source_mode", "current", ask=(":SOURce:FUNCtion:MODE?", "CURR")),
    control("source_mode", "voltage"),
    control("compliance_current", 0.05, ask=(":SOURce:VOLTage:ILIMit:LEVel?", 0.05)),
    control("compliance_voltage", 5.0, ask=(":SOURce:CURRent:VLIMit:LEVel?", 5.0)),
    control("source_voltage", 0.65, ask=(":SOURce1:VOLTage:LEVel:IMMediate:AMPLitude?", 0.65)),
    control("source_current", 1e-3),
    control("source_voltage_range", 2.0, ask=(":SOURce:VOLTage:RANGe:AUTO?", "0")),
    control("source_current_range", 1e-3),
    method("auto_range_source", check=asks(":SOUR:VOLT:RANG:AUTO?", "1")),
    control("source_voltage_delay", 0.01, ask=(":SOURce:VOLTage:DELay:AUTO?", "0")),
    control("source_voltage_delay_auto", True),
    control("source_current_delay", 0.02),
    control("source_current_delay_auto", False),
    method("measure_current", nplc=2, check=asks(":SENSe:FUNCtion?", '"CURR:DC"')),
    control("current_nplc", 1.0),
    control("current_range", 0.1, ask=(":SENSe:CURRent:RANGe:AUTO?", "0")),
    method("measure_current", check=asks(":SENS:CURR:RANG:AUTO?", "1")),
    method("enable_source", check=source_enabled_is(True)),
    method("source_enabled", check=is_value(True)),
    method("current", check=current_at_0_65_v),
    method("disable_source", check=source_enabled_is(False)),
    method("apply_current", compliance_voltage=2, check=asks(":SOUR:FUNC?", "CURR")),
    method("measure_voltage", check=asks(":SENS:FUNC?", '"VOLT:DC"')),
    control("voltage_nplc", 2.0),
    control("voltage_range", 20.0),
    control("source_current", 1e-3),
    method("enable_source"),
    method("voltage", check=voltage_at_1_ma),
    method("measure_resistance", check=asks(":SENS:FUNC?", '"RES"')),
    control("resistance_nplc", 1.0),
    control("resistance_range", 2000.0),
    method("resistance", check=resistance_at_1_ma),
    control("wires", 4, ask=(":SENSe:RESistance:RSENse?", "1")),
    control("wires", 2),
    control("current_filter_type", "MOV"),
    control("current_filter_count", 5),
    control("current_filter_state", "ON"),
    control("voltage_filter_type", "REP"),
    control("voltage_filter_count", 3),
    control("current_output_off_state", "HIMP"),
    control("voltage_output_off_state", "NORM"),
    method("measure_voltage"),
    control("buffer_points", 100),
    method("start_buffer"),
    method("stop_buffer"),
    buffer_statistic("means", statistics.fmean),
    buffer_statistic("maximums", max),
    buffer_statistic("minimums", min),
    buffer_statistic("standard_devs", statistics.stdev),
    buffer_statistic("mean_voltage", statistics.fmean),
    method("is_buffer_full", check=is_value(False)),
    method("beep", 1000, 0.1),
    method("triad", 1000, 0.01),
    method("trigger"),
    method("use_rear_terminals", check=asks(":ROUTe:TERMinals?", "REAR")),
    method("use_front_terminals", check=asks(":ROUT:TERM?", "FRON")),
    method("ramp_to_current", 2e-3, steps=5, pause=0, check=asks(":SOUR:CURR?", "2.000000E-03")),
    method("config_buffer", points=10),
    method("reset_buffer"),
    method("disable_buffer"),
    method("buffer_data"),
    method("apply_voltage", compliance_current=0.1),
    method("ramp_to_voltage", 0.5, steps=5, pause=0, check=asks(":SOUR:VOLT?", "5.000000E-01")),
    method("shutdown", check=source_enabled_is(False)),
]

#: The calls a real 2450 (SCPI command set) refuses too, and why.
REFUSED = {
    "current_filter_state = 'ON'": "a 2450 answers a boolean query with 1 or 0, so the driver reads 1, not 'ON'",
    "mean_voltage": ":TRAC:STAT:AVER? answers one value, the mean of the buffer's readings: the driver takes item 0 "
    "of a list (max_voltage, min_voltage, std_voltage and the current and resistance ones alike)",
    "config_buffer(points=10)": ":STAT:MEAS:ENAB, :TRAC:FEED and :TRAC:FEED:CONT are 2400 commands, -113 on a 2450",
    "reset_buffer": ":TRAC:FEED:CONT is a 2400 command, -113 on a 2450",
    "disable_buffer": ":TRAC:FEED:CONT is a 2400 command, -113 on a 2450",
    "buffer_data": ":TRAC:DATA? takes the start and end indexes, -109 without them",
}


def test_the_stock_keithley2450_works_but_for_what_a_real_2450_refuses(
    bench: SimulatedBench, stock_driver: Callable[..., Any]
) -> None:
    outcome = run_catalogue("Keithley2450", stock_driver(Keithley2450, "SMU-01"), bench, CALLS, REFUSED)
    assert outcome.failures.keys() == REFUSED.keys(), unexpected(outcome, REFUSED)

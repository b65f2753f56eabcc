"""The Keithley 2450 driver sends exactly the SCPI the lab relies on, and refuses unsafe limits."""

from __future__ import annotations

import pytest
from pymeasure.test import expected_protocol

from instruments.keithley import Keithley2450

pytestmark = pytest.mark.unit
NO_ERROR = '+0,"No error"'


def test_sourcing_voltage_with_a_current_limit_sends_the_2450_commands() -> None:
    with expected_protocol(
        Keithley2450,
        [
            (":SOUR:FUNC VOLT", None),
            (":SOUR:FUNC?", "VOLT"),
            (":SOUR:VOLT:RANG:AUTO 1", None),
            (":SOUR:VOLT:ILIM 0.01", None),
            ("SYST:ERR?", NO_ERROR),
        ],
    ) as smu:
        smu.apply_voltage(compliance_current=0.01)


def test_measuring_current_at_a_voltage_reads_one_value() -> None:
    with expected_protocol(
        Keithley2450,
        [
            (":SENS:FUNC 'CURR';:SENS:CURR:NPLC 1.000000;", None),
            (":SENS:CURR:RANG:AUTO 1;", None),
            ("SYST:ERR?", NO_ERROR),
            (":SOUR:VOLT:LEV 0.6", None),
            ("OUTPUT ON", None),
            (":READ?", "+1.660363055E-03"),
            ("OUTPUT OFF", None),
        ],
    ) as smu:
        smu.measure_current()
        smu.source_voltage = 0.6
        smu.enable_source()
        assert smu.current == pytest.approx(1.660363055e-3)
        smu.disable_source()


def test_a_four_wire_reading_returns_the_current_and_the_measured_source_voltage() -> None:
    with expected_protocol(
        Keithley2450,
        [
            (":SENS:CURR:RSEN 1", None),
            (":SOUR:VOLT:READ:BACK 1", None),
            (":SENS:CURR:RSEN?", "1"),
            (':READ? "defbuffer1", READ, SOUR', "+1.660363055E-03,+5.998765432E-01"),
        ],
    ) as smu:
        smu.current_remote_sense = True
        smu.source_voltage_readback = True
        assert smu.current_remote_sense is True
        current, voltage = smu.reading_with_source
        assert current == pytest.approx(1.660363055e-3)
        assert voltage == pytest.approx(0.5998765432)


def test_sourcing_current_with_a_voltage_limit() -> None:
    with expected_protocol(
        Keithley2450,
        [(":SOUR:CURR:VLIM 2", None), (":SOUR:CURR:LEV 0.001", None), (":SOUR:CURR?", "1.000000E-03")],
    ) as smu:
        smu.compliance_voltage = 2
        smu.source_current = 1e-3
        assert smu.source_current == pytest.approx(1e-3)


@pytest.mark.parametrize(
    ("setting", "value"),
    [("compliance_current", 2.0), ("compliance_voltage", 300), ("source_voltage", -250), ("source_current", 1.5)],
)
def test_a_limit_out_of_range_is_refused_not_clipped(setting: str, value: float) -> None:
    with expected_protocol(Keithley2450, []) as smu, pytest.raises(ValueError, match="not in range"):
        setattr(smu, setting, value)

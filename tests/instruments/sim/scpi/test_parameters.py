"""Parameters take what the instrument takes, units and keywords included, and refuse the rest with its error."""

from __future__ import annotations

import pytest

from instruments.sim.scpi import ScpiDevice

pytestmark = pytest.mark.unit


def error(device: ScpiDevice) -> str:
    return device.execute("SYST:ERR?")[0]


@pytest.mark.parametrize(
    ("argument", "volts"),
    [("0.5", 0.5), ("+5E-1", 0.5), (".5", 0.5), ("500mV", 0.5), ("500 MV", 0.5), ("0.0005KV", 0.5), ("5e-1 V", 0.5)],
)
def test_numbers_take_nrf_and_the_unit_with_an_si_prefix(device: ScpiDevice, argument: str, volts: float) -> None:
    device.execute(f"VOLT {argument}")
    assert device.settings["level_v/1"] == pytest.approx(volts)
    assert not device.status.errors


def test_for_amperes_ma_is_milli(device: ScpiDevice) -> None:
    device.execute("CURR 5MA")
    assert device.settings["level_a/1"] == pytest.approx(5e-3)


def test_min_max_and_def_set_and_ask_the_limits_and_the_default(device: ScpiDevice) -> None:
    device.execute("VOLT MAX")
    assert device.settings["level_v/1"] == 10.0
    device.execute("VOLT DEFault")
    assert device.settings["level_v/1"] == 0.0
    assert device.execute("VOLT? MIN;VOLT? MAXIMUM") == ["-1.000000000E+01", "+1.000000000E+01"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("VOLT 11", '-222,"Data out of range"'),
        ("VOLT", '-109,"Missing parameter"'),
        ("VOLT 1,2", '-108,"Parameter not allowed"'),
        ('VOLT "1"', '-104,"Data type error"'),
        ("VOLT ABC", '-224,"Illegal parameter value"'),
        ("VOLT 1 HZ", '-131,"Invalid suffix"'),
        (":WAV:POIN 200V", '-138,"Suffix not allowed"'),
        ("VOLT 1 2", '-103,"Invalid separator"'),
        ("OUTP MAYBE", '-224,"Illegal parameter value"'),
        ("FUNC SQUA", '-224,"Illegal parameter value"'),
        ('FUNC "SQU"', '-104,"Data type error"'),
        (":SENS:FUNC VOLT", '-104,"Data type error"'),
        (":DISP:TEXT 'unterminated", '-151,"Invalid string data"'),
    ],
)
def test_a_wrong_argument_is_refused_with_the_scpi_error_and_the_setting_kept(
    device: ScpiDevice, command: str, expected: str
) -> None:
    device.execute("VOLT 1;:OUTP ON")
    device.execute(command)
    assert error(device) == expected
    assert (device.settings["level_v/1"], device.settings["output/1"]) == (1.0, True)


@pytest.mark.parametrize(("argument", "state"), [("ON", True), ("off", False), ("1", True), ("0", False), ("2", True)])
def test_booleans_take_on_off_and_numbers(device: ScpiDevice, argument: str, state: bool) -> None:
    device.execute(f"OUTP {argument}")
    assert device.settings["output/1"] is state
    assert device.execute("OUTP?") == ["1" if state else "0"]


def test_character_data_takes_either_form_and_answers_the_short_one(device: ScpiDevice) -> None:
    device.execute("FUNC square")
    assert device.execute("FUNC?") == ["SQU"]


def test_an_integer_setting_rounds_and_answers_nr1(device: ScpiDevice) -> None:
    device.execute(":WAV:POIN 2000.4")
    assert device.execute(":WAV:POIN?") == ["2000"]


def test_a_quoted_header_choice_answers_with_its_optional_node_in_quotes(device: ScpiDevice) -> None:
    device.execute(":SENS:FUNC 'res';:SENS:FUNC?")
    assert device.execute(":SENS:FUNC?") == ['"RES"']
    device.execute(':SENS:FUNC "VOLT"')
    assert device.execute(":SENS:FUNC?") == ['"VOLT:DC"']


def test_strings_keep_separators_and_doubled_quotes(device: ScpiDevice) -> None:
    device.execute(""":DISP:TEXT 'a;b, "c" it''s'""")
    assert device.settings["name"] == """a;b, "c" it's"""

"""Headers match as instruments match them: exactly the short or long form, optional nodes, suffixes, paths."""

from __future__ import annotations

import pytest

from instruments.sim.scpi import ScpiDevice

pytestmark = pytest.mark.unit


def errors(device: ScpiDevice) -> list[str]:
    return device.execute(":SYST:ERR:ALL?")[0].split(",")[::2] if device.status.errors else []


@pytest.mark.parametrize(
    "command",
    [":SOURCEXYZ:VOLTAGEFOO 0.5", ":SOURC:VOLT 0.5", ":SOURCES:VOLT 0.5", ":SOUR:VOLTA 0.5", ":SO:VOLT 0.5"],
)
def test_a_header_that_is_neither_form_is_undefined_and_changes_nothing(device: ScpiDevice, command: str) -> None:
    assert device.execute(command) == []
    assert device.execute("SYST:ERR?") == ['-113,"Undefined header"']
    assert device.settings["level_v/1"] == 0.0


@pytest.mark.parametrize(
    "command",
    [
        ":SOURce:VOLTage:LEVel 0.5",
        ":source:voltage:level 0.5",
        ":SOUR:VOLT:LEV 0.5",
        "SOUR:VOLT 0.5",
        "VOLT 0.5",
        "VOLTAGE:LEVEL 0.5",
        ":SOURCE1:VOLT 0.5",
        "  :SOUR1:VOLT\t0.5",
    ],
)
def test_long_short_optional_and_suffixed_forms_all_reach_the_setting(device: ScpiDevice, command: str) -> None:
    device.execute(command)
    assert device.settings["level_v/1"] == 0.5
    assert not device.status.errors


def test_a_numeric_suffix_selects_the_channel_and_is_one_where_left_out(device: ScpiDevice) -> None:
    device.execute(":SOUR2:VOLT 2;:OUTP2 ON;:VOLT 1")
    assert (device.settings["level_v/1"], device.settings["level_v/2"]) == (1.0, 2.0)
    assert device.execute("OUTP2?;OUTP?;:OUTPUT1:STATE?") == ["1", "0", "0"]


def test_a_suffix_out_of_range_and_one_on_a_node_without_any_are_refused(device: ScpiDevice) -> None:
    device.execute(":SOUR3:VOLT 1")
    device.execute(":WAV1:POIN 200")
    assert device.execute(":SYST:ERR:ALL?") == ['-114,"Header suffix out of range",-113,"Undefined header"']


def test_after_a_semicolon_a_header_continues_the_previous_path(device: ScpiDevice) -> None:
    device.execute(":SOUR2:VOLT 1;CURR 0.5")  # SCPI-99 6.2.4: CURR is SOUR2:CURR
    assert device.settings["level_a/2"] == 0.5
    device.execute(":SOUR:VOLT 2;*CLS;CURR 0.25")  # a common command leaves the path as it is
    assert device.settings["level_a/1"] == 0.25
    assert not device.status.errors


def test_a_relative_header_that_repeats_its_path_is_undefined(device: ScpiDevice) -> None:
    device.execute(":OUTP:STAT ON;OUTP OFF")  # the second is OUTP:OUTP
    assert device.execute("SYST:ERR?;:OUTP?") == ['-113,"Undefined header"', "1"]


def test_each_message_starts_at_the_root(device: ScpiDevice) -> None:
    device.execute(":SOUR2:VOLT 1")
    device.execute("CURR 0.5")
    assert (device.settings["level_a/1"], device.settings["level_a/2"]) == (0.5, 0.0)


def test_a_query_of_a_command_without_one_and_a_command_of_a_query_are_undefined(device: ScpiDevice) -> None:
    device.execute(":DISP:TEXT?;*IDN")
    assert device.execute(":SYST:ERR:ALL?") == ['-113,"Undefined header",-113,"Undefined header"']


def test_broken_syntax_is_a_syntax_error_and_the_next_unit_still_runs(device: ScpiDevice) -> None:
    device.execute(":SOUR::VOLT 1;:SOUR:CURR 0.5")
    assert device.settings["level_a/1"] == 0.5
    assert device.execute("SYST:ERR?") == ['-102,"Syntax error"']


def test_a_mnemonic_longer_than_twelve_characters_is_too_long(device: ScpiDevice) -> None:
    device.execute(":SOURCEVOLTAGES 1")
    assert device.execute("SYST:ERR?") == ['-112,"Program mnemonic too long"']


def test_a_trailing_separator_and_a_colon_before_a_common_command_are_accepted(device: ScpiDevice) -> None:
    assert device.execute("*RST;:*CLS;:SOUR:VOLT 1;") == []
    assert device.settings["level_v/1"] == 1.0
    assert not device.status.errors

"""IEEE 488.2 status: *ESR? and *STB? after errors and *OPC, the enable registers, and what *CLS clears."""

from __future__ import annotations

import pytest

from instruments.sim.scpi import ScpiDevice

pytestmark = pytest.mark.unit

OPC, QYE, DDE, EXE, CME, PON = 1, 4, 8, 16, 32, 128
EAV, MAV, ESB, MSS = 4, 16, 32, 64


def ask(device: ScpiDevice, query: str) -> int:
    return int(device.execute(query)[-1])


def test_at_power_on_the_event_register_holds_pon_and_reading_it_clears_it(device: ScpiDevice) -> None:
    assert ask(device, "*ESR?") == PON
    assert ask(device, "*ESR?") == 0


def test_a_command_error_sets_cme_and_eav_until_the_queue_is_read(device: ScpiDevice) -> None:
    device.execute("*CLS;NOT:A:COMMAND")
    assert ask(device, "*STB?") == EAV
    assert ask(device, "*ESR?") == CME
    device.execute("SYST:ERR?")
    assert ask(device, "*STB?") == 0


def test_an_execution_error_sets_exe(device: ScpiDevice) -> None:
    device.execute("*CLS;VOLT 99")
    assert ask(device, "*ESR?") == EXE


def test_opc_sets_the_operation_complete_bit_and_opc_query_answers_one(device: ScpiDevice) -> None:
    device.execute("*CLS;VOLT 1;*OPC")
    assert ask(device, "*ESR?") == OPC
    assert device.execute("*OPC?") == ["1"]


def test_an_enabled_event_sets_esb_and_an_enabled_summary_sets_mss(device: ScpiDevice) -> None:
    device.execute("*CLS;*ESE 32;*SRE 32")
    assert device.execute("*ESE?;*SRE?") == ["32", "32"]
    device.execute("NOPE")
    assert ask(device, "*STB?") == EAV | ESB | MSS
    device.execute("*ESR?")  # reading the event register clears ESB
    assert ask(device, "*STB?") == EAV


def test_a_reply_waiting_in_the_same_message_sets_mav(device: ScpiDevice) -> None:
    device.execute("*CLS")
    assert device.execute("*IDN?;*STB?") == ["ACME,MODEL 1,SN1,1.0", str(MAV)]


def test_cls_clears_the_queue_and_the_events_but_not_the_enable_registers(device: ScpiDevice) -> None:
    device.execute("*ESE 60;*SRE 16;NOPE;VOLT 99;*OPC")
    device.execute("*CLS")
    assert [ask(device, query) for query in ("*ESR?", "*STB?", "SYST:ERR:COUN?", "*ESE?", "*SRE?")] == [0, 0, 0, 60, 16]


def test_rst_restores_settings_but_keeps_the_error_queue(device: ScpiDevice) -> None:
    device.execute("VOLT 3;NOPE;*RST")
    assert device.execute("VOLT?;SYST:ERR?") == ["+0.000000000E+00", '-113,"Undefined header"']


def test_the_error_queue_is_read_oldest_first_and_counted(device: ScpiDevice) -> None:
    device.execute("NOPE;VOLT 99")
    assert device.execute("SYST:ERR:COUN?") == ["2"]
    assert device.execute(":SYST:ERR?;:SYST:ERR:NEXT?;:SYST:ERR?") == [
        '-113,"Undefined header"',
        '-222,"Data out of range"',
        '+0,"No error"',
    ]


def test_a_full_error_queue_ends_with_queue_overflow(device: ScpiDevice) -> None:
    for _ in range(25):
        device.execute("NOPE")
    errors = [device.status.next_error() for _ in range(21)]
    assert errors[-2] == '-350,"Queue overflow"'
    assert errors[-1] == '+0,"No error"'


def test_ese_takes_only_a_register_value(device: ScpiDevice) -> None:
    device.execute("*CLS;*ESE 256")
    assert device.execute("SYST:ERR?;*ESE?") == ['-222,"Data out of range"', "0"]

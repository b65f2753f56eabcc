"""SCPI parsing and the error queue of a simulated instrument behave as real instruments do."""

from __future__ import annotations

import pytest

from instruments.sim.scpi import ScpiDevice, normalise_header, short_form

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("long", "short"),
    [("VOLTAGE", "VOLT"), ("FUNCTION", "FUNC"), ("IMPEDANCE", "IMP"), ("WAVEFORM", "WAV"), ("CLOOP1", "CLO1")],
)
def test_long_forms_match_their_short_forms(long: str, short: str) -> None:
    assert short_form(long) == short


def test_headers_match_case_and_leading_colon_insensitively() -> None:
    assert normalise_header(":sour:VOLTage:LEVel?") == "SOUR:VOLT:LEV?"
    assert normalise_header(":*CLS") == "*CLS"


def device() -> ScpiDevice:
    scpi = ScpiDevice("ACME,MODEL 1,SN1,1.0")
    scpi.number_setting("level_v", writes=("SOUR:VOLT",), reads=("SOUR:VOLT?",), low=-10, high=10, default=0)
    return scpi


def test_an_unknown_header_queues_undefined_header_and_answers_nothing() -> None:
    scpi = device()
    assert scpi.execute("FOO:BAR 1") == []
    assert scpi.execute("SYST:ERR?") == ['-113,"Undefined header"']
    assert scpi.execute("SYST:ERR?") == ['+0,"No error"']


def test_a_value_out_of_range_is_refused_and_the_setting_kept() -> None:
    scpi = device()
    scpi.execute("SOUR:VOLT 2.5")
    scpi.execute("SOUR:VOLT 11")
    assert scpi.execute("SOUR:VOLT?;SYST:ERR?") == ["+2.500000000E+00", '-222,"Data out of range"']


def test_compound_messages_run_in_order_and_rst_restores_defaults() -> None:
    scpi = device()
    scpi.execute("SOUR:VOLT 3;*RST;:stat:pres;:*CLS;")
    assert scpi.execute("SOUR:VOLT?") == ["+0.000000000E+00"]


def test_a_full_error_queue_ends_with_queue_overflow() -> None:
    scpi = device()
    for _ in range(25):
        scpi.execute("NOPE")
    errors = [scpi.next_error() for _ in range(21)]
    assert errors[-2] == '-350,"Queue overflow"'
    assert errors[-1] == '+0,"No error"'

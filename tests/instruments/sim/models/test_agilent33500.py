"""The simulated 33522B takes the 33500 manual's commands: channel suffixes, units, loads, and the right errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.instruments.sim.models.conftest import Session

pytestmark = pytest.mark.integration


@pytest.fixture
def awg(open_session: Callable[[str], Session]) -> Session:
    session = open_session("AWG-01")
    session.write("*RST")
    return session


def test_a_header_whose_first_letters_match_is_undefined_and_sets_nothing(awg: Session) -> None:
    awg.write(":SOURCEXYZ:VOLTAGEFOO 0.5")
    assert awg.query("SYST:ERR?") == '-113,"Undefined header"'
    assert float(awg.query("VOLT?")) == pytest.approx(0.1)


def test_each_channel_is_addressed_by_its_suffix_and_channel_one_by_default(awg: Session) -> None:
    awg.write("SOUR2:FREQ 2 kHz;:SOURCE2:FUNCTION SQUARE;:OUTP2 ON;:FREQ 500")
    assert float(awg.query("SOURce2:FREQuency?")) == 2000.0
    assert float(awg.query(":SOUR1:FREQ?")) == 500.0
    assert awg.query("SOUR2:FUNC?;:FUNC?;:OUTP2?;:OUTP?") == "SQU;SIN;1;0"
    assert awg.query("SYST:ERR?") == '+0,"No error"'


def test_a_relative_header_keeps_the_source_path(awg: Session) -> None:
    awg.write(":SOUR2:VOLT:HIGH 1;LOW -1")  # SOUR2:VOLT:LOW
    assert float(awg.query("SOUR2:VOLT?")) == pytest.approx(2.0)
    assert float(awg.query("SOUR2:VOLT:OFFS?")) == pytest.approx(0.0)


def test_the_load_takes_ohms_or_infinity_and_answers_9_9e37_for_infinity(awg: Session) -> None:
    awg.write("OUTP:LOAD 1000")
    assert float(awg.query("OUTP:LOAD?")) == 1000.0
    awg.write("OUTP1:LOAD INF")
    assert float(awg.query("OUTP1:LOAD?")) == 9.9e37
    awg.write("OUTP:LOAD 20000")
    assert awg.query("SYST:ERR?") == '-222,"Data out of range"'


def test_the_pulse_period_is_the_frequency_inverted(awg: Session) -> None:
    awg.write("FUNC PULS;:FUNC:PULS:PER 2 ms")
    assert float(awg.query("FREQ?")) == pytest.approx(500.0)
    assert float(awg.query("FUNC:PULS:PER?")) == pytest.approx(2e-3)


def test_replies_are_nr3_as_the_33500_writes_them(awg: Session) -> None:
    assert awg.query("FREQ?") == "+1.000000000000000E+03"


def test_a_suffix_beyond_the_two_channels_is_out_of_range(awg: Session) -> None:
    awg.write("SOUR3:FREQ 100")
    assert awg.query("SYST:ERR?") == '-114,"Header suffix out of range"'

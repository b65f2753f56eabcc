"""The simulated DSOX3024T answers as InfiniiVision scopes do: NR1 counts, #8 block headers, learn strings."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.instruments.sim.models.conftest import Session

pytestmark = pytest.mark.integration


@pytest.fixture
def scope(open_session: Callable[[str], Session]) -> Session:
    session = open_session("SCOPE-01")
    session.write("*RST")
    return session


def test_the_point_count_is_nr1(scope: Session) -> None:
    scope.write(":WAV:POIN 1000")
    assert scope.query(":WAV:POIN?") == "1000"


def test_a_block_has_eight_length_digits(scope: Session) -> None:
    scope.write(":WAV:FORM BYTE;:WAV:POIN 1000;:DIG CHAN1")
    scope.write(":WAV:DATA?")
    assert scope.read_bytes(10) == b"#800001000"
    assert len(scope.read_bytes(1001)) == 1001


def test_ascii_values_follow_the_block_header(scope: Session) -> None:
    scope.write(":WAVEFORM:FORMAT ASCII;:WAVEFORM:POINTS 100;:DIGITIZE CHANNEL1")
    reply = scope.query(":WAV:DATA?")
    length = int(reply[2:10])
    assert len(reply) == 10 + length
    assert len(reply[10:].split(",")) == 100


def test_channel_and_timebase_settings_in_either_form_and_with_units(scope: Session) -> None:
    scope.write(":CHANNEL2:SCALE 200 mV;:CHAN2:OFFS -0.1;:TIMEBASE:SCALE 50 us")
    assert float(scope.query(":CHAN2:RANG?")) == pytest.approx(1.6)
    assert float(scope.query(":TIM:RANG?")) == pytest.approx(5e-4)
    assert scope.query(":CHAN2?").startswith(":CHAN2:RANG +1.60E+00;OFFS -1.00000E-01;COUP DC;IMP ONEM;DISP 0")
    assert scope.query(":TIMebase?") == ":TIM:MODE MAIN;REF CENT;MAIN:RANG +5.00E-04;POS +0.0E+00"


def test_a_fifth_channel_is_out_of_range(scope: Session) -> None:
    scope.write(":CHAN5:SCAL 1")
    assert scope.query(":SYST:ERR?") == '-114,"Header suffix out of range"'

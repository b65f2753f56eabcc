"""The simulated E4980A formats as its manual says and sweeps its frequency list on the list page."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from instruments.sim import Capacitor, SimulatedBench
from tests.instruments.sim.models.conftest import Session

pytestmark = pytest.mark.integration


@pytest.fixture
def lcr(open_session: Callable[[str], Session]) -> Session:
    session = open_session("LCR-01")
    session.write("*RST")
    return session


def test_fetch_answers_six_digits_and_a_two_character_status(lcr: Session) -> None:
    primary, _secondary, status = lcr.query(":FETC?").split(",")
    assert len(primary) == len("+9.99915E-08")
    assert status == "+0"


def test_a_list_sweep_answers_four_values_a_point(bench: SimulatedBench, lcr: Session) -> None:
    lcr.write(":DISP:PAGE LIST;:LIST:FREQ 1e3,10 kHz,100000;:TRIG:SOUR BUS;:INIT:CONT ON;:TRIG:IMM")
    values = [float(value) for value in lcr.query(":FETC:IMP:FORM?").split(",")]
    assert len(values) == 12
    capacitor = bench.truth("LCR-01")
    assert isinstance(capacitor, Capacitor)
    assert values[0::4] == pytest.approx([capacitor.parallel_capacitance_f(f) for f in (1e3, 1e4, 1e5)], rel=0.01)
    assert [float(f) for f in lcr.query(":LIST:FREQ?").split(",")] == [1e3, 1e4, 1e5]


def test_the_aperture_answers_its_short_form_and_averages(lcr: Session) -> None:
    lcr.write(":APER LONG, 4")
    assert lcr.query(":APER?") == "LONG,4"

"""The simulated 34410A takes MEASure, CONFigure/READ? and INIT/FETCh? as the 34410A manual has them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from instruments.sim import Resistor, SimulatedBench
from tests.instruments.sim.models.conftest import Session

pytestmark = pytest.mark.integration


@pytest.fixture
def dmm(open_session: Callable[[str], Session]) -> Session:
    session = open_session("DMM-01")
    session.write("*RST")
    return session


def true_ohm(bench: SimulatedBench) -> float:
    resistor = bench.truth("DMM-01")
    assert isinstance(resistor, Resistor)
    return resistor.resistance_ohm(bench.temperature_c("DMM-01"))


def test_configure_then_read_takes_the_sample_count(bench: SimulatedBench, dmm: Session) -> None:
    dmm.write("CONF:FRES 1 kOhm;:SAMP:COUN 3")
    readings = [float(value) for value in dmm.query("READ?").split(",")]
    assert len(readings) == 3
    assert readings == pytest.approx([true_ohm(bench)] * 3, abs=1.0)
    assert dmm.query("CONF?") == '"FRES +1.000000000E+03,+1.000000000E-03"'


def test_initiate_then_fetch_answers_the_same_readings_until_the_next(dmm: Session) -> None:
    dmm.write("CONF:RES;:INIT")
    assert dmm.query("FETC?") == dmm.query("FETC?")


def test_measure_voltage_with_the_optional_dc_node(dmm: Session) -> None:
    assert abs(float(dmm.query("MEAS:VOLT?"))) < 1e-3
    assert abs(float(dmm.query("MEASURE:VOLTAGE:DC? 10,DEF"))) < 1e-3
    assert dmm.query("SYST:ERR?") == '+0,"No error"'


def test_a_range_beyond_the_top_one_is_out_of_range(dmm: Session) -> None:
    dmm.write("CONF:FRES 2E9")
    assert dmm.query("SYST:ERR?") == '-222,"Data out of range"'

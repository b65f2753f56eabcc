"""The simulated 2450 takes the 2450 reference manual's commands and keeps its reading buffer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.instruments.sim.models.conftest import Session

pytestmark = pytest.mark.integration


@pytest.fixture
def smu(open_session: Callable[[str], Session]) -> Session:
    session = open_session("SMU-01")
    session.write("*RST")
    return session


def test_a_header_whose_first_letters_match_is_undefined_and_sets_nothing(smu: Session) -> None:
    smu.write(":SOURCEXYZ:VOLTAGEFOO 0.5")
    assert smu.query(":SYST:ERR?") == '-113,"Undefined header"'
    assert float(smu.query(":SOUR:VOLT?")) == 0.0


def test_sense_and_the_source_suffix_may_be_left_out(smu: Session) -> None:
    smu.write(":CURR:NPLC 2;:SENSE1:CURRENT:DC:NPLCYCLES 3;:SOUR1:VOLT:LEV 0.5;ILIM 10 mA")  # SOUR1:VOLT:ILIM
    assert float(smu.query(":SENS:CURR:NPLC?")) == 3.0
    assert float(smu.query(":SOUR:VOLT?")) == 0.5
    assert float(smu.query(":SOUR:VOLT:ILIM?")) == pytest.approx(0.01)
    assert smu.query(":SYST:ERR:COUN?") == "0"


def test_setting_a_range_turns_autorange_off(smu: Session) -> None:
    smu.write(":SENS:CURR:RANG 1e-3")
    assert smu.query(":SENS:CURR:RANG:AUTO?") == "0"
    assert float(smu.query(":SENS:CURR:RANG?")) == pytest.approx(1e-3)


def test_readings_go_to_the_buffer_and_its_statistics_summarise_them(smu: Session) -> None:
    smu.write(':SOUR:VOLT 0.6;:OUTP ON;:TRAC:CLE "defbuffer1"')
    readings = [float(smu.query(":READ?")) for _ in range(5)]
    smu.write(":OUTP OFF")
    assert smu.query(":TRAC:ACT?") == "5"
    assert float(smu.query(":TRAC:STAT:AVER?")) == pytest.approx(sum(readings) / 5, rel=1e-5)
    assert float(smu.query(':TRAC:STAT:MAX? "defbuffer1"')) == pytest.approx(max(readings), rel=1e-5)
    data = [float(value) for value in smu.query(':TRAC:DATA? 1, 5, "defbuffer1", READ').split(",")]
    assert data == pytest.approx(readings, rel=1e-5)


def test_a_buffer_it_does_not_have_and_trace_data_without_its_indexes_are_refused(smu: Session) -> None:
    smu.write(':READ? "mybuffer"')
    smu.write(":TRAC:DATA?")
    assert smu.query(":SYST:ERR:ALL?") == '-224,"Illegal parameter value",-109,"Missing parameter"'


def test_2400_buffer_commands_are_not_2450_commands(smu: Session) -> None:
    smu.write(":TRAC:FEED SENS;:TRAC:FEED:CONT NEXT;:STAT:MEAS:ENAB 512")
    assert smu.query(":SYST:ERR:COUN?") == "3"

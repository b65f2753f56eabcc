"""The simulated F4T states every temperature on its Ethernet interface in the units ``:UNIT:TEMPerature`` sets."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from instruments.accuracy import CHAMBER_SENSOR
from instruments.sim import SimulatedBench
from tests.instruments.sim.models.conftest import Session

pytestmark = pytest.mark.integration


@pytest.fixture
def chamber(open_session: Callable[[str], Session]) -> Session:
    """The chamber in °C at 23 °C, as the lab leaves it."""
    session = open_session("CHAMBER-01")
    session.write("*RST;:SOUR:CLO1:SPO 23")
    return session


def settled_reading(chamber: Session, target: float, *, within: float = 0.01, timeout_s: float = 5.0) -> float:
    """Poll the process value until it is within ``within`` of ``target`` (in the units set), and answer it."""
    deadline = time.monotonic() + timeout_s
    reading = float(chamber.query(":SOUR:CLO1:PVAL?"))
    while abs(reading - target) > within and time.monotonic() < deadline:
        time.sleep(0.02)
        reading = float(chamber.query(":SOUR:CLO1:PVAL?"))
    return reading


def test_a_setpoint_given_in_fahrenheit_is_answered_in_fahrenheit_and_in_celsius_once_set_back(
    chamber: Session,
) -> None:
    assert chamber.query(":UNIT:TEMPERATURE?") == "C"
    chamber.write(":UNIT:TEMPERATURE F")
    chamber.write(":SOURCE:CLOOP1:SPOINT 77")

    assert chamber.query(":UNIT:TEMPERATURE?") == "F"
    assert float(chamber.query(":SOURCE:CLOOP1:SPOINT?")) == pytest.approx(77.0)
    chamber.write(":UNIT:TEMPERATURE C")
    assert float(chamber.query(":SOURCE:CLOOP1:SPOINT?")) == pytest.approx(25.0)
    assert chamber.query("SYST:ERR?") == '+0,"No error"'


def test_a_chamber_set_in_fahrenheit_heats_to_the_same_temperature_and_reports_it_in_the_units_set(
    chamber: Session, bench: SimulatedBench
) -> None:
    chamber.write(":UNIT:TEMPERATURE F;:SOURCE:CLOOP1:SPOINT 104")

    assert settled_reading(chamber, 104.0, within=0.02) == pytest.approx(104.0, abs=0.02)
    # 104 °F is 40 °C: the resistor on the chamber's fixture is there, within the chamber sensor's accuracy.
    assert bench.temperature_c("FX-RESISTOR") == pytest.approx(40.0, abs=0.02 + CHAMBER_SENSOR.half_width(40.0))
    chamber.write(":UNIT:TEMPERATURE C")
    assert float(chamber.query(":SOURCE:CLOOP1:PVALUE?")) == pytest.approx(40.0, abs=0.02)


def test_the_setpoint_range_is_the_chambers_in_either_units(chamber: Session) -> None:
    chamber.write(":SOUR:CLO1:SPO 200")
    assert chamber.query("SYST:ERR?") == '-222,"Data out of range"'

    chamber.write(":UNIT:TEMP F;:SOUR:CLO1:SPO 200")  # 93.3 °C
    assert chamber.query("SYST:ERR?") == '+0,"No error"'
    assert float(chamber.query(":SOUR:CLO1:SPO?")) == pytest.approx(200.0)
    chamber.write(":SOUR:CLO1:SPO 357")  # 180.6 °C: above the chamber's 180 °C
    assert chamber.query("SYST:ERR?") == '-222,"Data out of range"'
    chamber.write(":SOUR:CLO1:SPO -94")  # -70 °C, the chamber's lowest
    assert chamber.query("SYST:ERR?") == '+0,"No error"'
    assert float(chamber.query(":SOUR:CLO1:SPO?")) == pytest.approx(-94.0)
    chamber.write(":UNIT:TEMP C")
    assert float(chamber.query(":SOUR:CLO1:SPO?")) == pytest.approx(-70.0)


def test_a_reset_returns_the_interface_to_celsius(chamber: Session) -> None:
    chamber.write(":UNIT:TEMP F;:SOUR:CLO1:SPO 50")  # 10 °C
    chamber.write("*RST")

    assert chamber.query(":UNIT:TEMP?") == "C"
    assert float(chamber.query(":SOUR:CLO1:SPO?")) == pytest.approx(10.0)

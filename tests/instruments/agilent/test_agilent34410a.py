"""The 34410A driver's measurements, byte for byte, built without a warning or any I/O."""

from __future__ import annotations

import pytest
from pymeasure.test import expected_protocol

from instruments.agilent import Agilent34410A

pytestmark = pytest.mark.unit


def test_four_wire_resistance_is_measured_with_auto_range() -> None:
    with expected_protocol(Agilent34410A, [("MEAS:FRES? DEF,DEF", "+9.923000000E+02")]) as dmm:
        assert dmm.resistance_4w == pytest.approx(992.3)


def test_two_wire_resistance_and_dc_voltage() -> None:
    with expected_protocol(
        Agilent34410A, [("MEAS:RES? DEF,DEF", "+9.926E+02"), ("MEAS:VOLT:DC? DEF,DEF", "-1.2E-07")]
    ) as dmm:
        assert dmm.resistance == pytest.approx(992.6)
        assert dmm.voltage_dc == pytest.approx(-1.2e-7)

"""The E4980A LCR meter: parallel capacitance and dissipation factor at a chosen frequency."""

from __future__ import annotations

import pytest
from pymeasure.test import expected_protocol

from instruments.agilent import AgilentE4980

pytestmark = pytest.mark.unit


def test_building_the_driver_sends_nothing() -> None:
    with expected_protocol(AgilentE4980, []):
        pass


def test_cp_and_d_are_fetched_at_100_khz_and_1_v() -> None:
    with expected_protocol(
        AgilentE4980,
        [
            ("FORM ASC", None),
            ("FUNCtion:IMPedance:TYPE CPD", None),
            (":FREQ:CW 100000", None),
            (":VOLT:LEV 1", None),
            (":FETCH?", "+9.999147380E-08,+1.514204504E-02,+0"),
        ],
    ) as lcr:
        lcr.select_ascii_format()
        lcr.mode = "CPD"
        lcr.frequency = 1e5
        lcr.ac_voltage = 1
        capacitance_f, dissipation = lcr.impedance
        assert capacitance_f == pytest.approx(9.999147380e-8)
        assert dissipation == pytest.approx(1.514204504e-2)


def test_a_frequency_above_2_mhz_is_refused() -> None:
    with expected_protocol(AgilentE4980, []) as lcr, pytest.raises(ValueError, match="not in range"):
        lcr.frequency = 3e6

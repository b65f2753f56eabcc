"""The 33500 generator commands the lab uses to drive the RC fixture with a square wave."""

from __future__ import annotations

import pytest
from pymeasure.test import expected_protocol

from instruments.agilent import Agilent33500

pytestmark = pytest.mark.unit


def test_a_square_wave_from_0_to_1_v_at_1_khz() -> None:
    with expected_protocol(
        Agilent33500,
        [
            ("FUNC SQU", None),
            ("FREQ 1000.000000", None),
            ("VOLT:HIGH 1.000000", None),
            ("VOLT:LOW 0.000000", None),
            ("FUNC:SQU:DCYC 50.000000", None),
            ("OUTP 1", None),
            ("OUTP?", "1"),
        ],
    ) as generator:
        generator.shape = "SQU"
        generator.frequency = 1000
        generator.voltage_high = 1
        generator.voltage_low = 0
        generator.square_dutycycle = 50
        generator.output = True
        assert generator.output is True


def test_an_amplitude_above_10_vpp_is_refused() -> None:
    with expected_protocol(Agilent33500, []) as generator, pytest.raises(ValueError, match="not in range"):
        generator.amplitude = 12

"""The Watlow F4T chamber driver: setpoint and air temperature on control loop 1."""

from __future__ import annotations

import pytest
from pymeasure.test import expected_protocol

from instruments.errors import InstrumentProtocolError
from instruments.watlow import WatlowF4T

pytestmark = pytest.mark.unit


def test_setpoint_is_written_and_read_back_in_celsius() -> None:
    with expected_protocol(
        WatlowF4T, [(":SOUR:CLO1:SPO 85", None), (":SOUR:CLO1:SPO?", "+8.500000000E+01")]
    ) as chamber:
        chamber.temperature_setpoint = 85
        assert chamber.temperature_setpoint == 85.0


def test_waiting_for_the_chamber_returns_the_reading_within_tolerance() -> None:
    with expected_protocol(WatlowF4T, [(":SOUR:CLO1:PVAL?", "60.0"), (":SOUR:CLO1:PVAL?", "84.9")]) as chamber:
        assert chamber.wait_until_stable(85.0, tolerance_c=0.2, poll_s=0) == pytest.approx(84.9)


def test_a_chamber_that_never_arrives_raises_timeout() -> None:
    with expected_protocol(WatlowF4T, [(":SOUR:CLO1:PVAL?", "60.0")]) as chamber, pytest.raises(TimeoutError):
        chamber.wait_until_stable(85.0, timeout_s=0)


def test_a_reply_that_is_not_a_number_is_a_protocol_error() -> None:
    with expected_protocol(WatlowF4T, [(":SOUR:CLO1:PVAL?", "ERR")]) as chamber, pytest.raises(InstrumentProtocolError):
        _ = chamber.temperature


def test_a_setpoint_outside_the_chamber_range_is_refused() -> None:
    with expected_protocol(WatlowF4T, []) as chamber, pytest.raises(ValueError, match="not in range"):
        chamber.temperature_setpoint = 200

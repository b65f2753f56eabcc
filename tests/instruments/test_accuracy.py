"""The lab's accuracy table: autorange picks the range a reading is taken on, and its half-width."""

from __future__ import annotations

import pytest

from instruments.accuracy import LCR_BASIC, MODEL_ACCURACY, SCOPE_VERTICAL

pytestmark = pytest.mark.unit


def test_autorange_takes_the_smallest_range_that_holds_the_reading() -> None:
    current = MODEL_ACCURACY["keithley2450"]["current"]
    assert current.range_for(0.012).full_scale == pytest.approx(0.1)
    assert current.range_for(0.0104).full_scale == pytest.approx(0.01)  # within the 5 % overrange
    assert current.range_for(-3e-9).full_scale == pytest.approx(1e-8)
    assert current.range_for(5.0).full_scale == pytest.approx(1.0)


def test_half_width_is_part_of_reading_plus_the_range_offset() -> None:
    current = MODEL_ACCURACY["keithley2450"]["current"]
    assert current.half_width(0.012) == pytest.approx(2.5e-4 * 0.012 + 6e-6)
    ohms = MODEL_ACCURACY["agilent34410a"]["resistance_4w"]
    assert ohms.half_width(1000.0) == pytest.approx(0.1 + 0.01)
    assert ohms.range_for(1212.0).full_scale == pytest.approx(10e3)  # past the 1 kΩ range's 20 % overrange


def test_lcr_accuracy_widens_at_high_frequency_and_at_extreme_impedances() -> None:
    assert LCR_BASIC.relative(1e3, 1.6e3) == pytest.approx(5e-4 + 2.5e-3 / 1.6e3 + 2e-9 * 1.6e3)
    assert LCR_BASIC.relative(1e5, 16.0) > LCR_BASIC.relative(1e3, 1.6e3)


def test_scope_gain_error_is_a_fraction_of_full_scale() -> None:
    assert SCOPE_VERTICAL.gain_half_width(0.25) == pytest.approx(0.02 * 2.0)

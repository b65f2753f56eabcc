"""Each simulated unit errs within its datasheet, the same way every time for one bench seed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from instruments.accuracy import MODEL_ACCURACY
from instruments.sim.unit_errors import OVERFLOW, RangedFunction, UnitErrors, range_at

pytestmark = pytest.mark.unit

CURRENT = MODEL_ACCURACY["keithley2450"]["current"]
NO_NOISE = 0.0


def _quiet(_sigma: float) -> float:
    return NO_NOISE


def test_one_bench_seed_and_unit_draw_the_same_errors_whatever_the_order_they_are_asked_in() -> None:
    first, second = UnitErrors(7, "2450/04512345"), UnitErrors(7, "2450/04512345")
    names = ["current/0.01/gain", "current/0.01/offset", "voltage/2/gain"]
    drawn = [first.fraction(name) for name in names]
    assert [second.fraction(name) for name in reversed(names)] == list(reversed(drawn))


def test_another_seed_or_another_serial_is_another_unit() -> None:
    name = "current/0.01/gain"
    reference = UnitErrors(7, "2450/04512345").fraction(name)
    assert UnitErrors(8, "2450/04512345").fraction(name) != reference
    assert UnitErrors(7, "2450/04599999").fraction(name) != reference


def test_gain_and_offset_errors_lie_within_the_datasheet_and_spread_across_it() -> None:
    for span in CURRENT.ranges:
        gains, offsets = [], []
        for seed in range(200):
            function = RangedFunction(UnitErrors(seed, "2450/04512345"), "current", CURRENT)
            gains.append(function.gain(span) / span.of_reading)
            offsets.append(function.offset(span) / span.offset)
        for fractions in (gains, offsets):
            assert max(abs(f) for f in fractions) <= 1.0
            assert min(fractions) < -0.8
            assert max(fractions) > 0.8


def test_a_reading_is_the_true_value_with_the_gain_and_offset_of_the_range_autorange_takes() -> None:
    function = RangedFunction(UnitErrors(3, "2450/04512345"), "current", CURRENT)
    reading = function.read(0.012, noise=_quiet)
    span = CURRENT.range_for(0.012)
    assert reading.span == span
    assert span.full_scale == 0.1
    assert reading.value == pytest.approx(0.012 * (1 + function.gain(span)) + function.offset(span), rel=1e-12)
    assert abs(reading.value - 0.012) <= span.half_width(0.012)


def test_a_fixed_range_reads_past_its_overrange_as_an_overflow_and_autorange_steps_up() -> None:
    function = RangedFunction(UnitErrors(3, "2450/04512345"), "current", CURRENT)
    assert range_at(CURRENT, 1e-3).full_scale == 1e-3
    assert range_at(CURRENT, 2e-3).full_scale == 1e-2
    overflowing = function.read(1.2e-3, range_setting=1e-3, noise=_quiet)
    assert overflowing.overflow
    assert overflowing.value == OVERFLOW
    assert function.read(-1.2e-3, range_setting=1e-3, noise=_quiet).value == -OVERFLOW
    # Just below 105 % of full scale, autorange keeps the range unless the unit's own errors read it past it.
    edge = 1e-3 * CURRENT.overrange * (1 - 1e-9)
    taken = function.read(edge, noise=_quiet)
    assert not taken.overflow
    assert taken.span.full_scale in {1e-3, 1e-2}


def test_reading_noise_is_the_ranges_noise_falling_as_one_over_root_nplc() -> None:
    rng = np.random.default_rng(1)
    function = RangedFunction(UnitErrors(3, "2450/04512345"), "current", CURRENT)

    def gaussian(sigma: float) -> float:
        return float(rng.normal(0.0, sigma))

    span = CURRENT.range_for(5e-3)
    for nplc in (0.01, 1.0, 10.0):
        readings = [function.read(5e-3, range_setting=1e-2, nplc=nplc, noise=gaussian).value for _ in range(4000)]
        assert np.std(readings) == pytest.approx(span.noise / math.sqrt(nplc), rel=0.06)


def test_a_source_gives_its_setpoint_off_by_its_accuracy_without_noise() -> None:
    voltage = MODEL_ACCURACY["keithley2450"]["voltage"]
    source = RangedFunction(UnitErrors(3, "2450/04512345"), "source voltage", voltage)
    assert source.output(0.6) == source.output(0.6)
    assert abs(source.output(0.6) - 0.6) <= voltage.half_width(0.6)
    assert source.output(0.6) != 0.6

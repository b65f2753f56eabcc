"""Four-wire resistance and its temperature coefficient, against known truth."""

from __future__ import annotations

import math

import numpy as np
import pytest

from results.analysis.model import Metric
from results.analysis.resistance import AccuracySpec, four_wire_resistance, temperature_coefficient
from tests.results.analysis.coverage import covered_seeds

pytestmark = pytest.mark.unit

TRUE_OHM = 100.0123
# A 6½-digit meter on its 100 ohm range: ±(30 ppm of reading + 4 ppm of range)
METER = AccuracySpec(of_reading=30e-6, of_range=4e-6, range_value=100.0)


def test_the_mean_and_type_a_uncertainty_follow_the_gum() -> None:
    readings = [100.01, 100.02, 100.03, 100.02]

    (metric,) = four_wire_resistance(readings).values()

    assert metric.value == pytest.approx(100.02)
    assert metric.standard_uncertainty == pytest.approx(np.std(readings, ddof=1) / 2)
    assert metric.coverage_factor == pytest.approx(3.31, abs=0.01)  # t at 95.45 % with 3 degrees of freedom
    assert metric.units == "ohm"


def test_a_stated_meter_accuracy_is_combined_as_a_rectangular_type_b() -> None:
    readings = np.full(10, 100.0) + np.array([1, -1] * 5) * 1e-4

    metric = four_wire_resistance(readings, accuracy=METER)["resistance"]

    type_a = np.std(readings, ddof=1) / math.sqrt(10)
    type_b = (30e-6 * 100.0 + 4e-6 * 100.0) / math.sqrt(3)
    assert metric.standard_uncertainty == pytest.approx(math.hypot(type_a, type_b))
    assert metric.coverage_factor == pytest.approx(2.0, abs=0.01)


def test_repeated_readings_with_a_meter_bias_are_covered_for_at_least_18_of_20_seeds() -> None:
    def analyse(seed: int) -> dict[str, Metric]:
        rng = np.random.default_rng(seed)
        bias = rng.uniform(-1, 1) * METER.half_width(TRUE_OHM)  # the meter's unknown error within its spec
        return four_wire_resistance(TRUE_OHM + bias + rng.normal(0, 2e-3, 10), accuracy=METER)

    hits = covered_seeds(analyse, {"resistance": TRUE_OHM})

    assert hits["resistance"] >= 18


def test_one_reading_has_no_type_a_uncertainty() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        four_wire_resistance([100.0])


def test_the_temperature_coefficient_of_copper_is_recovered_within_u() -> None:
    temperature = np.linspace(15.0, 45.0, 13)

    def analyse(seed: int) -> dict[str, Metric]:
        resistance = 10.0 * (1 + 3.93e-3 * (temperature - 23.0))
        noisy = resistance + np.random.default_rng(seed).normal(0, 2e-3, temperature.size)
        return temperature_coefficient(noisy, temperature, reference_temperature_c=23.0)

    hits = covered_seeds(analyse, {"resistance_at_reference": 10.0, "temperature_coefficient": 3.93e-3})
    example = analyse(0)

    assert all(count >= 18 for count in hits.values()), hits
    assert example["temperature_coefficient"].units == "1/K"
    assert example["temperature_coefficient"].expanded_uncertainty < 1e-4


def test_a_temperature_coefficient_needs_temperatures_that_vary() -> None:
    with pytest.raises(ValueError, match="different temperatures"):
        temperature_coefficient([10.0, 10.1, 10.2], [23.0, 23.0, 23.0])

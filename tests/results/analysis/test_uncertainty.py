"""GUM helpers: Welch-Satterthwaite and the coverage factor."""

from __future__ import annotations

import math

import pytest

from results.analysis.uncertainty import coverage_factor, effective_degrees_of_freedom, rectangular

pytestmark = pytest.mark.unit


def test_k_is_two_for_infinite_degrees_of_freedom_and_larger_for_few() -> None:
    assert coverage_factor(math.inf) == 2.0
    assert coverage_factor(30) == pytest.approx(2.09, abs=0.01)
    assert coverage_factor(2) == pytest.approx(4.53, abs=0.01)


def test_a_dominant_type_b_component_gives_many_effective_degrees_of_freedom() -> None:
    assert effective_degrees_of_freedom([(0.01, 4.0), rectangular(1.0)]) > 1e6
    assert effective_degrees_of_freedom([(1.0, 4.0), (1.0, 4.0)]) == pytest.approx(8.0)


def test_a_rectangular_half_width_becomes_a_over_root_three() -> None:
    assert rectangular(-3.0) == (pytest.approx(3.0 / math.sqrt(3.0)), math.inf)

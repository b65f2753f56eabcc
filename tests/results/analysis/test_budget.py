"""Uncertainty budgets: contributions combined per GUM, k from Welch-Satterthwaite, kept with the metric."""

from __future__ import annotations

import math

import pytest

from results.analysis import Contribution, Distribution, EvaluationType, Metric, combine

pytestmark = pytest.mark.unit


def test_contributions_add_in_quadrature_and_type_b_alone_gives_k_two() -> None:
    budget = [Contribution.rectangular("meter accuracy", math.sqrt(3.0) * 3.0), Contribution.normal("sensor", 4.0)]
    u, dof, k = combine(budget)
    assert u == pytest.approx(5.0)
    assert dof == math.inf
    assert k == 2.0


def test_a_dominant_type_a_with_few_readings_widens_k() -> None:
    u, dof, k = combine([Contribution.type_a("repeatability", 1.0, 4), Contribution.rectangular("meter", 0.1)])
    assert dof == pytest.approx(4.0, rel=0.01)
    assert k == pytest.approx(2.87, abs=0.01)
    assert u == pytest.approx(math.hypot(1.0, 0.1 / math.sqrt(3.0)))


def test_an_unknown_contribution_makes_the_metric_uncertainty_unknown() -> None:
    metric = Metric.from_budget("tau", 1.0, [Contribution.type_a("fit", math.inf, 10)], "s")
    assert metric.expanded_uncertainty == math.inf


def test_a_metric_keeps_the_budget_it_was_combined_from() -> None:
    budget = (Contribution.type_a("fit", 0.02, 50), Contribution.rectangular("gain", 0.05))
    metric = Metric.from_budget("amplitude", 1.0, budget, "V")
    assert metric.budget == budget
    assert metric.budget[0].evaluation is EvaluationType.A
    assert metric.budget[1].distribution is Distribution.RECTANGULAR
    assert metric.standard_uncertainty == pytest.approx(math.hypot(0.02, 0.05 / math.sqrt(3.0)))
    assert metric.effective_degrees_of_freedom > 50


def test_a_contribution_without_a_source_or_with_negative_u_is_refused() -> None:
    with pytest.raises(ValueError, match="source"):
        Contribution("", 1.0)
    with pytest.raises(ValueError, match=">= 0"):
        Contribution("x", -1.0)

"""Metrics and spec limits refuse values a certificate could not state."""

from __future__ import annotations

import math

import pytest

from results.analysis.model import Metric, SpecLimits

pytestmark = pytest.mark.unit


def test_a_metric_built_from_u_states_u_times_k() -> None:
    metric = Metric.from_standard_uncertainty("ideality_factor", 1.8, 0.01, "1", coverage_factor=2.0)

    assert metric.expanded_uncertainty == pytest.approx(0.02)
    assert metric.standard_uncertainty == pytest.approx(0.01)


def test_an_ill_conditioned_fit_gives_an_infinite_not_a_missing_uncertainty() -> None:
    metric = Metric.from_standard_uncertainty("series_resistance", 0.5, math.nan, "ohm")

    assert metric.expanded_uncertainty == math.inf


@pytest.mark.parametrize(
    ("name", "expanded", "k", "message"),
    [("a/b", 0.1, 2.0, "HDF5 name"), ("r", -0.1, 2.0, "expanded uncertainty"), ("r", 0.1, 0.0, "coverage")],
)
def test_a_metric_with_a_bad_name_negative_u_or_zero_k_is_refused(
    name: str, expanded: float, k: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Metric(name, 1.0, expanded, k, "ohm")


def test_limits_need_a_side_and_must_be_in_order() -> None:
    with pytest.raises(ValueError, match="lower limit, an upper limit or both"):
        SpecLimits(None, None, "ohm")
    with pytest.raises(ValueError, match="above upper"):
        SpecLimits(2.0, 1.0, "ohm")

"""Statements of conformity: simple acceptance and the ILAC-G8 guard band (w = U)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from results.analysis.decision import assess, combine_verdicts, decide
from results.analysis.model import DecisionRule, Metric, SpecLimits, Verdict

pytestmark = pytest.mark.unit

LIMITS = SpecLimits(lower=99.0, upper=101.0, units="ohm")


def _ohm(value: float, expanded: float) -> Metric:
    return Metric("resistance", value, expanded, 2.0, "ohm")


@pytest.mark.parametrize(
    ("value", "verdict"),
    [(100.0, Verdict.PASS), (101.0, Verdict.PASS), (99.0, Verdict.PASS), (101.01, Verdict.FAIL), (98.0, Verdict.FAIL)],
)
def test_simple_acceptance_passes_a_value_within_the_limits_whatever_its_uncertainty(
    value: float, verdict: Verdict
) -> None:
    assert decide(_ohm(value, 5.0), LIMITS, DecisionRule.SIMPLE) is verdict


@pytest.mark.parametrize(
    ("value", "expanded", "verdict"),
    [
        (100.0, 0.5, Verdict.PASS),
        (100.5, 0.5, Verdict.PASS),  # the interval touches the limit: still inside
        (100.8, 0.5, Verdict.INCONCLUSIVE),
        (101.2, 0.5, Verdict.INCONCLUSIVE),  # measured out of spec, but the interval reaches back in
        (101.6, 0.5, Verdict.FAIL),
        (98.4, 0.5, Verdict.FAIL),
        (99.3, 0.5, Verdict.INCONCLUSIVE),
        (100.0, 1.5, Verdict.INCONCLUSIVE),  # U wider than the tolerance can never pass
    ],
)
def test_guard_band_passes_only_when_the_whole_interval_is_inside(
    value: float, expanded: float, verdict: Verdict
) -> None:
    assert decide(_ohm(value, expanded), LIMITS, DecisionRule.GUARD_BAND) is verdict


def test_a_one_sided_limit_judges_only_its_side() -> None:
    at_most = SpecLimits(lower=None, upper=2.0, units="1")

    assert decide(Metric("ideality_factor", -50.0, 0.1, 2.0, "1"), at_most, DecisionRule.GUARD_BAND) is Verdict.PASS
    assert decide(Metric("ideality_factor", 2.5, 0.1, 2.0, "1"), at_most, DecisionRule.GUARD_BAND) is Verdict.FAIL


def test_an_unknown_uncertainty_is_never_a_pass_under_the_guard_band() -> None:
    metric = Metric("resistance", 100.0, float("inf"), 2.0, "ohm")

    assert decide(metric, LIMITS, DecisionRule.GUARD_BAND) is Verdict.INCONCLUSIVE


def test_limits_in_other_units_are_refused() -> None:
    with pytest.raises(ValueError, match="units"):
        decide(Metric("resistance", 0.1, 0.001, 2.0, "kohm"), LIMITS, DecisionRule.SIMPLE)


@pytest.mark.parametrize(
    ("verdicts", "combined"),
    [
        ([Verdict.PASS, Verdict.PASS], Verdict.PASS),
        ([Verdict.PASS, Verdict.INCONCLUSIVE], Verdict.INCONCLUSIVE),
        ([Verdict.INCONCLUSIVE, Verdict.FAIL, Verdict.PASS], Verdict.FAIL),
    ],
)
def test_any_fail_fails_the_run_else_any_inconclusive_makes_it_inconclusive(
    verdicts: list[Verdict], combined: Verdict
) -> None:
    assert combine_verdicts(verdicts) is combined


def test_no_verdict_at_all_is_not_a_pass() -> None:
    with pytest.raises(ValueError, match="no verdicts"):
        combine_verdicts([])


def test_assess_judges_the_metrics_with_limits_and_reports_the_rule() -> None:
    metrics = {
        "resistance": _ohm(100.0, 0.2),
        "temperature_coefficient": Metric("temperature_coefficient", 1e-3, 1e-5, 2, "1/K"),
    }

    assessment = assess(metrics, {"resistance": LIMITS}, DecisionRule.GUARD_BAND)

    assert assessment.verdict is Verdict.PASS
    assert assessment.rule is DecisionRule.GUARD_BAND
    assert dict(assessment.metric_verdicts) == {"resistance": Verdict.PASS}
    with pytest.raises(KeyError, match="not measured"):
        assess(metrics, {"capacitance_1000Hz": SpecLimits(1e-9, None, "F")}, DecisionRule.SIMPLE)


@given(
    truth=st.floats(min_value=95.0, max_value=105.0),
    expanded=st.floats(min_value=1e-6, max_value=3.0),
    error_fraction=st.floats(min_value=-1.0, max_value=1.0),
)
def test_with_an_honest_uncertainty_the_guard_band_never_accepts_an_out_of_spec_item(
    truth: float, expanded: float, error_fraction: float
) -> None:
    # Honest: the true value lies within the measured value ± U.
    measured = _ohm(truth + error_fraction * expanded, expanded)
    truth_conforms = LIMITS.lower is not None and LIMITS.upper is not None and LIMITS.lower <= truth <= LIMITS.upper

    verdict = decide(measured, LIMITS, DecisionRule.GUARD_BAND)

    if verdict is Verdict.PASS:
        assert truth_conforms
    if verdict is Verdict.FAIL:
        assert not truth_conforms


def test_on_a_borderline_grid_the_guard_band_has_no_false_accepts_where_simple_acceptance_has_many() -> None:
    rng = np.random.default_rng(2025)
    u = 0.1
    truths = np.concatenate([np.linspace(98.6, 99.4, 41), np.linspace(100.6, 101.4, 41)])
    false_accepts = {DecisionRule.SIMPLE: 0, DecisionRule.GUARD_BAND: 0}
    out_of_spec = 0
    for truth in truths:
        for _ in range(25):
            # Errors within the stated U = 2u (an honest uncertainty statement, truncated normal)
            error = float(np.clip(rng.normal(0.0, u), -2 * u, 2 * u))
            metric = _ohm(float(truth) + error, 2 * u)
            conforms = 99.0 <= truth <= 101.0
            out_of_spec += not conforms
            for rule in false_accepts:
                false_accepts[rule] += (decide(metric, LIMITS, rule) is Verdict.PASS) and not conforms

    assert out_of_spec > 900
    assert false_accepts[DecisionRule.GUARD_BAND] == 0
    assert false_accepts[DecisionRule.SIMPLE] > 50

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
def test_when_the_truth_lies_within_the_interval_the_guard_band_never_accepts_an_out_of_spec_item(
    truth: float, expanded: float, error_fraction: float
) -> None:
    # Given that the interval holds the true value (about 95 % of runs, not all), a pass conforms.
    measured = _ohm(truth + error_fraction * expanded, expanded)
    truth_conforms = LIMITS.lower is not None and LIMITS.upper is not None and LIMITS.lower <= truth <= LIMITS.upper

    verdict = decide(measured, LIMITS, DecisionRule.GUARD_BAND)

    if verdict is Verdict.PASS:
        assert truth_conforms
    if verdict is Verdict.FAIL:
        assert not truth_conforms


def test_with_honest_normal_errors_the_guard_band_accepts_at_most_two_and_a_half_percent_just_past_a_limit() -> None:
    # ILAC-G8 4.2.3: U = 2u covers about 95 %; an error below -U happens 2.3 % of the time (one tail).
    rng = np.random.default_rng(2026)
    u, draws = 0.1, 20_000
    just_past = {"upper": 101.0 + 1e-9, "lower": 99.0 - 1e-9}
    for side, truth in just_past.items():
        errors = rng.normal(0.0, u, draws)  # not truncated: an honest u
        verdicts = [decide(_ohm(truth + float(e), 2 * u), LIMITS, DecisionRule.GUARD_BAND) for e in errors]
        simple = [decide(_ohm(truth + float(e), 2 * u), LIMITS, DecisionRule.SIMPLE) for e in errors]

        false_accepts = sum(v is Verdict.PASS for v in verdicts) / draws
        simple_false_accepts = sum(v is Verdict.PASS for v in simple) / draws

        assert 0.015 < false_accepts <= 0.025, f"{side} limit: {false_accepts:.2%}"
        assert 0.45 < simple_false_accepts < 0.55, f"{side} limit, simple acceptance: {simple_false_accepts:.2%}"


def test_the_guard_band_false_accept_risk_falls_as_the_truth_moves_past_the_limit() -> None:
    rng = np.random.default_rng(7)
    u = 0.1
    errors = rng.normal(0.0, u, 20_000)
    risks = []
    for past in (0.0, 0.5 * u, u, 2 * u):
        truth = 101.0 + 1e-9 + past
        risks.append(
            sum(decide(_ohm(truth + float(e), 2 * u), LIMITS, DecisionRule.GUARD_BAND) is Verdict.PASS for e in errors)
        )

    assert risks == sorted(risks, reverse=True)
    assert risks[-1] / len(errors) < 0.001


def test_no_rule_passes_a_metric_of_unknown_uncertainty() -> None:
    inside = Metric("resistance", 100.0, float("inf"), 2.0, "ohm")
    outside = Metric("resistance", 105.0, float("inf"), 2.0, "ohm")

    assert decide(inside, LIMITS, DecisionRule.SIMPLE) is Verdict.INCONCLUSIVE
    assert decide(inside, LIMITS, DecisionRule.GUARD_BAND) is Verdict.INCONCLUSIVE
    assert decide(outside, LIMITS, DecisionRule.SIMPLE) is Verdict.FAIL

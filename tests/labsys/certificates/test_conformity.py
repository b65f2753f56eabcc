"""Results as the report states them, and the statement of conformity from the runs' verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from labsys.certificates.conformity import ReportedResult, conformity_statement, measurement, reported_results
from labsys.errors import Conflict
from labsys.runs.models import Run
from results.certificates import DecisionRule, Verdict

pytestmark = pytest.mark.unit


def _metric(value: float, verdict: str | None, *, units: str = "ohm", upper: float | None = 2.0) -> dict[str, Any]:
    return {
        "value": value,
        "expanded_uncertainty": 0.05,
        "coverage_factor": 2.0,
        "units": units,
        "lower_limit": None,
        "upper_limit": upper,
        "verdict": verdict,
    }


def _run(run_id: int, **metrics: dict[str, Any]) -> Run:
    return Run(id=run_id, booking_id=1, sample_id=1, method_id=1, engineer_id=1, metrics=metrics)


def test_a_metric_is_printed_with_its_unit_symbol_uncertainty_and_limits() -> None:
    result = measurement("series_resistance", _metric(0.83, "pass"))
    assert (result.metric, result.value, result.unit) == ("Series resistance", 0.83, "Ω")
    assert (result.expanded_uncertainty, result.coverage_factor, result.upper_limit) == (0.05, 2.0, 2.0)
    assert result.verdict == Verdict.PASS


def test_a_tiny_current_is_printed_with_an_si_prefix_and_its_limits_scaled_alike() -> None:
    result = measurement("leakage", {**_metric(2.7e-9, "pass", units="A", upper=1e-8)})
    assert result.unit == "nA"
    assert result.value == pytest.approx(2.7)
    assert result.expanded_uncertainty == pytest.approx(0.05e9)
    assert result.upper_limit == pytest.approx(10.0)


def test_an_inconclusive_result_is_a_conditional_pass_inside_the_limit_and_a_conditional_fail_outside() -> None:
    assert measurement("r", _metric(1.98, "inconclusive")).verdict == Verdict.CONDITIONAL_PASS
    assert measurement("r", _metric(2.02, "inconclusive")).verdict == Verdict.CONDITIONAL_FAIL
    assert measurement("r", _metric(2.02, None, upper=None)).verdict == Verdict.NOT_ASSESSED


def test_a_metric_without_its_uncertainty_cannot_be_reported() -> None:
    with pytest.raises(Conflict, match="'r' cannot be reported"):
        measurement("r", {"value": 1.0, "units": "V"})


def test_the_statement_names_the_rule_and_every_failing_result() -> None:
    runs = [_run(4, series_resistance=_metric(2.5, "fail")), _run(5, series_resistance=_metric(0.8, "pass"))]
    statement = conformity_statement(runs, DecisionRule.GUARD_BAND)
    assert statement.startswith("The items tested do not conform")
    assert "guard band decision rule" in statement
    assert "Series resistance (run 4)" in statement
    assert "run 5" not in statement


def test_passing_undecided_and_unassessed_results_each_get_their_own_statement() -> None:
    passing = conformity_statement([_run(1, r=_metric(0.8, "pass"))], DecisionRule.SIMPLE_ACCEPTANCE)
    assert passing.startswith("The items tested conform")
    assert "simple acceptance" in passing
    undecided = conformity_statement([_run(1, r=_metric(1.99, "inconclusive"))], DecisionRule.GUARD_BAND)
    assert undecided.startswith("Conformity could not be decided")
    none = conformity_statement([_run(1, r=_metric(1.0, None, upper=None))], DecisionRule.GUARD_BAND)
    assert none.startswith("No statement of conformity is made")


def test_a_reviewer_reads_each_result_rounded_as_the_report_prints_it() -> None:
    inside_the_band = {**_metric(1.98, "inconclusive"), "expanded_uncertainty": 0.0512}
    stated = reported_results({"series_resistance": inside_the_band, "ideality_factor": _metric(1.5, None, units="")})
    assert stated == [
        ReportedResult("series_resistance", "1.980", "0.052", 2.0, "Ω", "≤ 2", "Conditional pass", "inconclusive"),
        ReportedResult("ideality_factor", "1.500", "0.050", 2.0, "", "≤ 2", "Not assessed", None),
    ]


def test_a_result_that_cannot_be_reported_says_why_instead_of_raising() -> None:
    (stated,) = reported_results({"rise_time": {"value": 1e-9, "verdict": "pass"}})
    assert stated.problem.startswith("the metric 'rise_time' cannot be reported")
    assert (stated.value, stated.recorded_verdict) == ("", "pass")

"""A run never reports an uncertainty below the lab's validated figure for the metric, and is judged with it."""

from __future__ import annotations

import pytest

from labsys.demo.methods import DEMO_METHODS
from labsys.methods.models import TestMethod
from labsys.runs.verdicts import floored, judge
from results.analysis import Metric, Verdict

pytestmark = pytest.mark.unit


def _method(code: str) -> TestMethod:
    found = next(m for m in DEMO_METHODS if m.code == code)
    return TestMethod.model_validate(found.model_dump())


def test_a_u_below_the_validated_figure_is_raised_to_it_with_the_figures_k() -> None:
    diode = _method("DIODE-IV")  # series resistance validated to ± 0.05 Ω (k = 2)
    metrics = {"series_resistance": Metric("series_resistance", 0.83, 0.000017, 2.04923, "ohm")}

    result = floored(diode, metrics)["series_resistance"]

    assert result.expanded_uncertainty == 0.05
    assert result.coverage_factor == 2.0
    assert result.value == 0.83


def test_a_relative_figure_scales_with_the_value_and_a_larger_u_is_kept() -> None:
    step = _method("STEP-RISE")  # rise time validated to 1 % of the value
    small = {"rise_time": Metric("rise_time", 220e-6, 1e-8, 2.0, "s")}
    large = {"rise_time": Metric("rise_time", 220e-6, 5e-6, 2.1, "s")}

    assert floored(step, small)["rise_time"].expanded_uncertainty == pytest.approx(2.2e-6)
    assert floored(step, large)["rise_time"] == large["rise_time"]


def test_metrics_without_a_figure_pass_through_unchanged() -> None:
    step = _method("STEP-RISE")
    tau = Metric("time_constant", 1e-4, 1e-9, 2.0, "s")

    assert floored(step, {"time_constant": tau})["time_constant"] is tau


def test_the_floor_can_turn_a_pass_at_the_limit_into_inconclusive() -> None:
    diode = _method("DIODE-IV")  # guard band; series resistance at most 2.0 Ω
    metrics = {
        "ideality_factor": Metric("ideality_factor", 1.5, 0.01, 2.0, "1"),
        "series_resistance": Metric("series_resistance", 1.97, 0.001, 2.0, "ohm"),
    }

    assert judge(diode, metrics).verdict is Verdict.PASS
    assert judge(diode, floored(diode, metrics)).verdict is Verdict.INCONCLUSIVE


def test_a_figure_in_other_units_than_its_metric_is_refused() -> None:
    diode = _method("DIODE-IV")
    metrics = {"series_resistance": Metric("series_resistance", 830.0, 0.1, 2.0, "mohm")}

    with pytest.raises(ValueError, match="series_resistance"):
        floored(diode, metrics)

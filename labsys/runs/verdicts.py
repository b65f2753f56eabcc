"""Judging a run's metrics against its method's spec limits, and the metrics as the database keeps them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from labsys.methods.models import TestMethod
from results.analysis import Assessment, DecisionRule, Metric, SpecLimits, assess

__all__ = ["budget_record", "floored", "judge", "metrics_record", "spec_limits"]


def _units(unit: str) -> str:
    # The catalog writes a dimensionless unit as ""; the analysis as "1".
    return unit or "1"


def spec_limits(method: TestMethod) -> dict[str, SpecLimits]:
    """The method's acceptance limits by metric name."""
    return {
        limit["metric"]: SpecLimits(limit.get("lower"), limit.get("upper"), _units(limit.get("unit", "")))
        for limit in method.spec_limits
    }


def floored(method: TestMethod, metrics: Mapping[str, Metric]) -> dict[str, Metric]:
    """The metrics, each U raised to the lab's validated uncertainty for it where the analysis found less.

    The catalog's figure (absolute, or a fraction of the value) is what the lab validated the method to; a run
    never reports a smaller U than that, whatever its own budget says. A floored metric takes the figure's k and
    keeps its budget, so the report can say that U was raised above what the budget combines to.

    Raises:
        ValueError: a figure's unit is not its metric's (the catalog and the analysis disagree).
    """
    result = dict(metrics)
    for figure in method.uncertainty:
        metric = metrics.get(figure["metric"])
        if metric is None:
            continue
        if _units(figure.get("unit", "")) != metric.units:
            raise ValueError(
                f"{method.code}: the validated uncertainty of {metric.name} is in {figure.get('unit')!r}, "
                f"the analysis gives {metric.units!r}"
            )
        expanded = float(figure["expanded"]) * (abs(metric.value) if figure.get("relative") else 1.0)
        if metric.expanded_uncertainty < expanded:
            k = float(figure.get("k", 2.0))
            result[metric.name] = replace(metric, expanded_uncertainty=expanded, coverage_factor=k)
    return result


def judge(method: TestMethod, metrics: Mapping[str, Metric]) -> Assessment:
    """The statement of conformity of the run under the method's decision rule."""
    return assess(metrics, spec_limits(method), DecisionRule(method.decision_rule))


def budget_record(metric: Metric) -> list[dict[str, Any]]:
    """A metric's budget as the records keep it (JSON): one line per contribution, ``None`` for an infinite figure."""
    return [
        {
            "source": line.source,
            "standard_uncertainty": _finite_or_none(line.standard_uncertainty),
            "degrees_of_freedom": _finite_or_none(line.degrees_of_freedom),
            "evaluation": line.evaluation.value,
            "distribution": line.distribution.value,
        }
        for line in metric.budget
    ]


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def metrics_record(metrics: Mapping[str, Metric], assessment: Assessment | None) -> dict[str, dict[str, Any]]:
    """Metrics as ``Run.metrics`` keeps them: value, U, k, units, limits, the metric's verdict and its budget."""
    record: dict[str, dict[str, Any]] = {}
    for name, metric in metrics.items():
        limits = assessment.limits.get(name) if assessment else None
        verdict = assessment.metric_verdicts.get(name) if assessment else None
        record[name] = {
            "value": metric.value,
            "expanded_uncertainty": _finite_or_none(metric.expanded_uncertainty),
            "coverage_factor": metric.coverage_factor,
            "units": metric.units,
            "lower_limit": limits.lower if limits else None,
            "upper_limit": limits.upper if limits else None,
            "verdict": verdict.value if verdict else None,
            "budget": budget_record(metric),
            "notes": list(metric.notes),
        }
    return record

"""Statements of conformity under the ILAC-G8:2019 decision rules.

``simple`` acceptance: pass when the measured value lies within the limits (limits inclusive), fail otherwise.
The risk of a false accept is shared with the customer: up to 50 % for a true value on a limit.

``guard_band`` (guarded acceptance, guard band w = U): pass only when the whole interval value ± U lies within
the limits; fail when the whole interval lies outside them; inconclusive when it straddles a limit. U covers the
true value with about 95 % probability, not with certainty: for a true value just outside a limit and a normal
measurement error, the chance of a pass, a false accept, is P(error < -U) = 2.3 % at k = 2 (ILAC-G8:2019, 4.2.3),
and it falls quickly as the true value moves further out.

A metric whose U is unknown (infinite or not a number) never passes under either rule: without an uncertainty
there is no statement of the risk, so a value inside the limits is inconclusive; one outside them still fails
under simple acceptance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from results.analysis.model import DecisionRule, Metric, SpecLimits, Verdict

__all__ = ["Assessment", "assess", "combine_verdicts", "decide"]


def decide(metric: Metric, limits: SpecLimits, rule: DecisionRule) -> Verdict:
    """Judge one metric against its spec limits.

    Args:
        metric: Measured value with its expanded uncertainty U.
        limits: Acceptance limits in the metric's units (inclusive).
        rule: ``simple`` or ``guard_band`` (w = U).

    Returns:
        ``pass``, ``fail`` or ``inconclusive`` (``simple`` only for a metric of unknown U inside the limits).

    Raises:
        ValueError: If the limits' units differ from the metric's.
    """
    if limits.units != metric.units:
        raise ValueError(f"{metric.name}: limits in units {limits.units!r} but the metric in {metric.units!r}")
    known = math.isfinite(metric.expanded_uncertainty)
    if rule is DecisionRule.SIMPLE:
        if not _within(metric.value, metric.value, limits):
            return Verdict.FAIL
        return Verdict.PASS if known else Verdict.INCONCLUSIVE
    low = metric.value - metric.expanded_uncertainty
    high = metric.value + metric.expanded_uncertainty
    if _within(low, high, limits):
        return Verdict.PASS
    if _outside(low, high, limits):
        return Verdict.FAIL
    return Verdict.INCONCLUSIVE


def _within(low: float, high: float, limits: SpecLimits) -> bool:
    above_lower = limits.lower is None or low >= limits.lower
    below_upper = limits.upper is None or high <= limits.upper
    return above_lower and below_upper


def _outside(low: float, high: float, limits: SpecLimits) -> bool:
    below = limits.lower is not None and high < limits.lower
    above = limits.upper is not None and low > limits.upper
    return below or above


def combine_verdicts(verdicts: Iterable[Verdict]) -> Verdict:
    """Combine metric verdicts into the run's: any fail → fail, else any inconclusive → inconclusive, else pass.

    Raises:
        ValueError: If there is no verdict to combine (no evidence is not a pass).
    """
    seen = set(verdicts)
    if not seen:
        raise ValueError("no verdicts to combine")
    if Verdict.FAIL in seen:
        return Verdict.FAIL
    if Verdict.INCONCLUSIVE in seen:
        return Verdict.INCONCLUSIVE
    return Verdict.PASS


@dataclass(frozen=True, slots=True)
class Assessment:
    """The statement of conformity of a run.

    Attributes:
        verdict: The combined verdict.
        rule: The decision rule used.
        metric_verdicts: Verdict per judged metric name.
        limits: Spec limits per judged metric name.
    """

    verdict: Verdict
    rule: DecisionRule
    metric_verdicts: Mapping[str, Verdict]
    limits: Mapping[str, SpecLimits]


def assess(metrics: Mapping[str, Metric], limits: Mapping[str, SpecLimits], rule: DecisionRule) -> Assessment:
    """Judge every metric that has spec limits and combine the verdicts.

    Args:
        metrics: Metrics by name (as the analysis functions return them).
        limits: Spec limits by metric name; metrics without limits are reported, not judged.
        rule: The method's decision rule.

    Raises:
        KeyError: If a limit names a metric that was not measured.
        ValueError: If no metric has limits, or units disagree.
    """
    missing = sorted(set(limits) - set(metrics))
    if missing:
        raise KeyError(f"spec limits for metrics that were not measured: {missing}")
    verdicts = {name: decide(metrics[name], spec, rule) for name, spec in limits.items()}
    return Assessment(combine_verdicts(verdicts.values()), rule, verdicts, dict(limits))

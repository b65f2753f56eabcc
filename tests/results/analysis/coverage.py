"""Counting how often a stated expanded uncertainty covers the known truth."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from results.analysis.model import Metric

SEEDS = range(20)


def covered_seeds(analyse: Callable[[int], Mapping[str, Metric]], truth: Mapping[str, float]) -> dict[str, int]:
    """For each metric in ``truth``: over how many of 20 fixed seeds |value - truth| <= U."""
    hits = dict.fromkeys(truth, 0)
    for seed in SEEDS:
        metrics = analyse(seed)
        for name, true_value in truth.items():
            metric = metrics[name]
            hits[name] += abs(metric.value - true_value) <= metric.expanded_uncertainty
    return hits

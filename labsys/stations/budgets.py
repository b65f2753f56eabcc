"""Uncertainty budgets of the catalog's methods, input by input (GUM), from the lab's accuracy table.

Each metric's budget starts from what the analysis itself found (the fit or the scatter of repeats, type A) and
adds, as type B, every systematic input the measurement depends on: the instrument's stated accuracy for the
range each reading was actually taken on, the temperature, the circuit around the device. A systematic input's
sensitivity is found numerically (GUM 5.1.3, note 2): the analysis is run again on the data with that input moved
by its full stated half-width ``a``, and the change in each metric, taken as the half-width of a rectangular
distribution, contributes ``|Δ| / √3``. That holds for a non-linear fit (the diode) as well as for a mean.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from instruments.accuracy import FunctionAccuracy
from results.analysis import Contribution, Metric

__all__ = [
    "SystematicInput",
    "budgeted",
    "offset_of_ranges",
    "part_of_reading",
    "type_a",
    "with_relative",
]

Floats = npt.NDArray[np.float64]
#: The analysis run on (possibly perturbed) inputs: named arrays in, metrics out.
Evaluate = Callable[[Mapping[str, Floats]], Mapping[str, Metric]]


@dataclass(frozen=True)
class SystematicInput:
    """A systematic error the data may carry, and the data moved by its full stated half-width.

    Attributes:
        source: The input in the report's words, e.g. ``"Keithley 2450 current accuracy (gain), ranges used"``.
        perturb: The run's arrays with the error applied at its half-width (returns new arrays; never mutates).
    """

    source: str
    perturb: Callable[[Mapping[str, Floats]], dict[str, Floats]]


def type_a(metric: Metric, source: str, degrees_of_freedom: float) -> Contribution:
    """The analysis's own standard uncertainty of ``metric`` (fit or repeats) as the budget's type A line."""
    return Contribution.type_a(source, metric.standard_uncertainty, degrees_of_freedom)


def part_of_reading(column: str, accuracy: FunctionAccuracy) -> Callable[[Mapping[str, Floats]], dict[str, Floats]]:
    """Each reading of ``column`` moved by the gain part of the accuracy of the range it was taken on."""

    def perturb(data: Mapping[str, Floats]) -> dict[str, Floats]:
        values = data[column]
        gains = np.array([accuracy.range_for(v).of_reading for v in values.tolist()])
        return {**data, column: values * (1.0 + gains)}

    return perturb


def offset_of_ranges(column: str, accuracy: FunctionAccuracy) -> Callable[[Mapping[str, Floats]], dict[str, Floats]]:
    """Each reading of ``column`` moved by the offset part of the accuracy of the range it was taken on (all one
    way: the worse case for a fit across ranges)."""

    def perturb(data: Mapping[str, Floats]) -> dict[str, Floats]:
        values = data[column]
        offsets = np.array([accuracy.range_for(v).offset for v in values.tolist()])
        return {**data, column: values + offsets}

    return perturb


def budgeted(
    data: Mapping[str, Floats],
    evaluate: Evaluate,
    *,
    type_a_sources: Mapping[str, tuple[str, float]],
    systematic: Sequence[SystematicInput],
    stated: Mapping[str, Sequence[Contribution]] | None = None,
) -> dict[str, Metric]:
    """The analysis's metrics, each with its full budget.

    Args:
        data: The run's arrays as the analysis reads them.
        evaluate: The analysis.
        type_a_sources: Per metric, the words for its type A line and its degrees of freedom.
        systematic: The systematic inputs, each re-analysed at its half-width.
        stated: Further contributions stated directly, per metric (e.g. a correction's uncertainty).

    Returns:
        Every metric ``evaluate`` gives, its U combined from the budget.
    """
    nominal = dict(evaluate(data))
    shifted = [(entry.source, _shifted(evaluate, entry.perturb(data))) for entry in systematic]
    result: dict[str, Metric] = {}
    for name, metric in nominal.items():
        words, dof = type_a_sources.get(name, ("repeatability (type A)", math.inf))
        budget = [type_a(metric, words, dof)]
        for source, metrics in shifted:
            # An analysis that fails on data within the instruments' stated error has an unknown sensitivity.
            change = abs(metrics[name].value - metric.value) if metrics is not None else math.inf
            if change > 0.0:
                budget.append(Contribution.rectangular(source, change))
        budget += list((stated or {}).get(name, ()))
        result[name] = Metric.from_budget(name, metric.value, budget, metric.units)
    return result


def with_relative(metric: Metric, fractions: Sequence[Contribution]) -> Metric:
    """The metric with further contributions stated as fractions of its value (e.g. a time base's accuracy)."""
    if not fractions:
        return metric
    scaled = [replace(c, standard_uncertainty=c.standard_uncertainty * abs(metric.value)) for c in fractions]
    return replace(
        Metric.from_budget(metric.name, metric.value, [*metric.budget, *scaled], metric.units), notes=metric.notes
    )


def _shifted(evaluate: Evaluate, data: Mapping[str, Floats]) -> Mapping[str, Metric] | None:
    try:
        return evaluate(data)
    except ValueError:
        return None

"""Capacitor on an LCR meter: capacitance C and dissipation factor D per test frequency, mean ± U.

Per frequency, repeated readings give the mean and the type A uncertainty s/√n (n - 1 degrees of freedom);
the meter's stated accuracy (fraction of reading for C, absolute for D) adds a rectangular type B component.
k from the Welch-Satterthwaite effective degrees of freedom.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from results.analysis.model import Metric
from results.analysis.uncertainty import (
    UncertaintyComponent,
    combined_standard_uncertainty,
    coverage_factor,
    effective_degrees_of_freedom,
    rectangular,
)

__all__ = ["capacitor_lcr", "frequency_label"]


def frequency_label(frequency_hz: float) -> str:
    """Metric-name suffix of a test frequency: ``1000Hz``, ``120Hz``, ``2.5Hz``."""
    return f"{int(frequency_hz)}Hz" if float(frequency_hz).is_integer() else f"{frequency_hz:g}Hz"


def _mean_metric(name: str, values: npt.NDArray[np.float64], type_b_half_width: float, units: str) -> Metric:
    mean = float(values.mean())
    components: list[UncertaintyComponent] = [(float(values.std(ddof=1)) / math.sqrt(values.size), values.size - 1)]
    if type_b_half_width > 0.0:
        components.append(rectangular(type_b_half_width))
    k = coverage_factor(effective_degrees_of_freedom(components))
    return Metric.from_standard_uncertainty(
        name, mean, combined_standard_uncertainty(components), units, coverage_factor=k
    )


def capacitor_lcr(
    frequency_hz: npt.ArrayLike,
    capacitance_f: npt.ArrayLike,
    dissipation: npt.ArrayLike,
    *,
    capacitance_accuracy: float = 0.0,
    dissipation_accuracy: float = 0.0,
) -> dict[str, Metric]:
    """Mean C and D with U at each test frequency, from repeated LCR readings.

    Args:
        frequency_hz: Test frequency of each reading in Hz.
        capacitance_f: Capacitance readings in F.
        dissipation: Dissipation factor readings (dimensionless).
        capacitance_accuracy: Meter accuracy for C as a fraction of reading (e.g. 0.0005 for 0.05 %).
        dissipation_accuracy: Meter accuracy for D, absolute (e.g. 0.0005).

    Returns:
        For each frequency f (ascending): ``capacitance_<f>Hz`` (F) and ``dissipation_factor_<f>Hz`` (1).

    Raises:
        ValueError: If the arrays differ in length or a frequency has fewer than 2 readings.
    """
    frequency = np.asarray(frequency_hz, dtype=np.float64)
    capacitance = np.asarray(capacitance_f, dtype=np.float64)
    loss = np.asarray(dissipation, dtype=np.float64)
    if not frequency.shape == capacitance.shape == loss.shape:
        raise ValueError("frequency, capacitance and dissipation need one value per reading")
    metrics: dict[str, Metric] = {}
    for value in np.unique(frequency):
        at = frequency == value
        if np.count_nonzero(at) < 2:
            raise ValueError(f"{value:g} Hz needs at least 2 readings for a type A uncertainty")
        label = frequency_label(float(value))
        c = _mean_metric(f"capacitance_{label}", capacitance[at], 0.0, "F")
        c_b = capacitance_accuracy * abs(c.value)
        metrics[c.name] = _mean_metric(c.name, capacitance[at], c_b, "F")
        d = _mean_metric(f"dissipation_factor_{label}", loss[at], dissipation_accuracy, "1")
        metrics[d.name] = d
    return metrics

"""Four-wire resistance: mean with type A and type B uncertainty, and the temperature coefficient.

Type A is the experimental standard deviation of the mean, s/√n with n - 1 degrees of freedom. Type B is the
instrument's stated accuracy ±(fraction of reading + fraction of range), taken as a rectangular distribution
(a/√3). The coverage factor follows the Welch-Satterthwaite effective degrees of freedom (k = 2 once type B
dominates or the repeats are many).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from results.analysis.model import Metric
from results.analysis.uncertainty import (
    combined_standard_uncertainty,
    coverage_factor,
    effective_degrees_of_freedom,
    rectangular,
)

__all__ = ["AccuracySpec", "four_wire_resistance", "temperature_coefficient"]


@dataclass(frozen=True, slots=True)
class AccuracySpec:
    """A meter's stated accuracy: ±(``of_reading`` * reading + ``of_range`` * ``range_value``).

    Attributes:
        of_reading: Fraction of the reading (e.g. 30e-6 for 30 ppm).
        of_range: Fraction of the range.
        range_value: The range used, in the reading's units.
    """

    of_reading: float = 0.0
    of_range: float = 0.0
    range_value: float = 0.0

    def half_width(self, reading: float) -> float:
        """Half-width of the accuracy interval at ``reading``, in the reading's units."""
        return abs(self.of_reading * reading) + abs(self.of_range * self.range_value)


def four_wire_resistance(readings_ohm: npt.ArrayLike, *, accuracy: AccuracySpec | None = None) -> dict[str, Metric]:
    """Mean of repeated four-wire readings with its expanded uncertainty.

    Args:
        readings_ohm: Repeated readings in ohm (at least 2).
        accuracy: The meter's stated accuracy (type B); ``None`` for type A only.

    Returns:
        ``resistance`` (ohm): the mean, with U from type A (s/√n) and type B combined.

    Raises:
        ValueError: If fewer than 2 readings are given.
    """
    readings = np.asarray(readings_ohm, dtype=np.float64)
    if readings.size < 2:
        raise ValueError(f"a type A uncertainty needs at least 2 readings, got {readings.size}")
    mean = float(readings.mean())
    components = [(float(readings.std(ddof=1)) / math.sqrt(readings.size), float(readings.size - 1))]
    if accuracy is not None:
        components.append(rectangular(accuracy.half_width(mean)))
    k = coverage_factor(effective_degrees_of_freedom(components))
    return {
        "resistance": Metric.from_standard_uncertainty(
            "resistance", mean, combined_standard_uncertainty(components), "ohm", coverage_factor=k
        )
    }


def temperature_coefficient(
    resistance_ohm: npt.ArrayLike, temperature_c: npt.ArrayLike, *, reference_temperature_c: float = 23.0
) -> dict[str, Metric]:
    """Fit R = R0 * (1 + alpha * (T - T0)) by linear regression of R against T.

    Args:
        resistance_ohm: Resistances in ohm.
        temperature_c: Their temperatures in °C (at least 3 points, not all equal).
        reference_temperature_c: T0 in °C.

    Returns:
        ``resistance_at_reference`` (ohm): R0; ``temperature_coefficient`` (1/K): alpha. U from the
        regression's standard errors (scaled by the scatter), with the R0-slope covariance propagated.

    Raises:
        ValueError: If fewer than 3 points are given or the temperatures do not vary.
    """
    resistance = np.asarray(resistance_ohm, dtype=np.float64)
    offset = np.asarray(temperature_c, dtype=np.float64) - reference_temperature_c
    if resistance.size < 3 or resistance.size != offset.size or np.ptp(offset) == 0.0:
        raise ValueError("a temperature coefficient needs at least 3 paired points at different temperatures")
    from scipy import stats  # noqa: PLC0415 - loaded when an analysis runs: see the package

    fit = stats.linregress(offset, resistance)
    r0, slope = float(fit.intercept), float(fit.slope)
    u_r0, u_slope = float(fit.intercept_stderr), float(fit.stderr)
    covariance = -float(offset.mean()) * u_slope**2  # cov(intercept, slope) of a least-squares line
    alpha = slope / r0
    # alpha = slope / R0: first-order propagation with the covariance term
    u_alpha = math.sqrt(max((u_slope / r0) ** 2 + (slope * u_r0 / r0**2) ** 2 - 2.0 * slope * covariance / r0**3, 0.0))
    k = coverage_factor(resistance.size - 2)
    return {
        "resistance_at_reference": Metric.from_standard_uncertainty(
            "resistance_at_reference", r0, u_r0, "ohm", coverage_factor=k
        ),
        "temperature_coefficient": Metric.from_standard_uncertainty(
            "temperature_coefficient", alpha, u_alpha, "1/K", coverage_factor=k
        ),
    }

"""GUM helpers: combining standard uncertainties and choosing the coverage factor.

The coverage factor is Student's t for a two-sided 95.45 % interval at the effective degrees of freedom
(Welch-Satterthwaite, GUM G.4): k = 2 for many degrees of freedom or a dominant type B component, larger
for a handful of repeats, so that a stated U covers the true value about 95 % of the time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "COVERAGE_PROBABILITY",
    "UncertaintyComponent",
    "combined_standard_uncertainty",
    "coverage_factor",
    "effective_degrees_of_freedom",
    "fit_standard_uncertainties",
    "rectangular",
]

#: Two-sided probability of a normal distribution within ±2 standard deviations: what k = 2 stands for.
COVERAGE_PROBABILITY = 0.9545

#: A standard uncertainty with its degrees of freedom (``math.inf`` for a type B estimate).
UncertaintyComponent = tuple[float, float]


def rectangular(half_width: float) -> UncertaintyComponent:
    """Type B standard uncertainty of a stated ±half-width (rectangular distribution): a / √3, ∞ dof."""
    return abs(half_width) / math.sqrt(3.0), math.inf


def combined_standard_uncertainty(components: Sequence[UncertaintyComponent]) -> float:
    """Root sum of squares of the component standard uncertainties (uncorrelated)."""
    return math.sqrt(sum(u * u for u, _ in components))


def effective_degrees_of_freedom(components: Sequence[UncertaintyComponent]) -> float:
    """Welch-Satterthwaite effective degrees of freedom of the combined uncertainty (∞ if all are type B)."""
    combined = combined_standard_uncertainty(components)
    denominator = sum(u**4 / dof for u, dof in components if math.isfinite(dof) and u > 0.0)
    if combined == 0.0 or denominator == 0.0:
        return math.inf
    return combined**4 / denominator


def coverage_factor(degrees_of_freedom: float) -> float:
    """k for about 95 % coverage: Student's t(0.97725, dof), or exactly 2 for infinite dof (or above 1000).

    Raises:
        ValueError: If ``degrees_of_freedom`` is not positive.
    """
    if not degrees_of_freedom > 0:
        raise ValueError(f"degrees of freedom must be positive, got {degrees_of_freedom}")
    if degrees_of_freedom > 1000:
        return 2.0
    from scipy import stats  # noqa: PLC0415 - loaded when an analysis runs: see the package

    return float(stats.t.ppf(0.5 + COVERAGE_PROBABILITY / 2.0, degrees_of_freedom))


def fit_standard_uncertainties(covariance: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Standard uncertainties of fitted parameters: square roots of the covariance diagonal (inf if not finite)."""
    variances = np.diag(covariance).astype(np.float64)
    safe = np.where(np.isfinite(variances) & (variances >= 0.0), variances, np.inf)
    return np.sqrt(safe)

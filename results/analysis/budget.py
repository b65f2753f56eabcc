"""Uncertainty budgets per GUM: a metric's combined uncertainty, contribution by contribution.

Each :class:`Contribution` is one input's standard uncertainty already multiplied by its sensitivity
coefficient, so it is in the metric's units and the combined standard uncertainty is their root sum of squares
(inputs taken as uncorrelated). Welch-Satterthwaite gives the effective degrees of freedom and Student's t the
coverage factor (see :mod:`results.analysis.uncertainty`). A budget is kept with the metric it produced, stored
with the run and printed on the report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from results.analysis.uncertainty import (
    combined_standard_uncertainty,
    coverage_factor,
    effective_degrees_of_freedom,
)

__all__ = ["Contribution", "Distribution", "EvaluationType", "combine"]


class EvaluationType(StrEnum):
    """How a standard uncertainty was evaluated (GUM 4.2 and 4.3)."""

    A = "A"  # statistics of the run's own readings
    B = "B"  # other knowledge: a datasheet, a calibration certificate, a stated figure


class Distribution(StrEnum):
    """The distribution assumed for an input, which turned its half-width or spread into u."""

    NORMAL = "normal"
    RECTANGULAR = "rectangular"


@dataclass(frozen=True, slots=True)
class Contribution:
    """One line of a budget: what an input contributes to a metric's combined standard uncertainty.

    Attributes:
        source: The input in the lab's words, e.g. ``"Keithley 2450 accuracy, 100 mA range"``.
        standard_uncertainty: ``|c_i| * u(x_i)``, in the metric's units (non-negative, may be ``inf``).
        degrees_of_freedom: ν of ``u(x_i)``: ``n - p`` for a fit, ``inf`` for a type B estimate.
        evaluation: Type A or type B.
        distribution: The distribution assumed for the input.
    """

    source: str
    standard_uncertainty: float
    degrees_of_freedom: float = math.inf
    evaluation: EvaluationType = EvaluationType.B
    distribution: Distribution = Distribution.RECTANGULAR

    def __post_init__(self) -> None:
        if not self.source:
            raise ValueError("a budget contribution needs a source")
        if not self.standard_uncertainty >= 0.0:
            raise ValueError(f"{self.source}: standard uncertainty must be >= 0, got {self.standard_uncertainty}")
        if not self.degrees_of_freedom > 0.0:
            raise ValueError(f"{self.source}: degrees of freedom must be > 0, got {self.degrees_of_freedom}")

    @classmethod
    def type_a(cls, source: str, standard_uncertainty: float, degrees_of_freedom: float) -> Contribution:
        """A type A contribution (normal, ν from the readings)."""
        return cls(
            source,
            abs(standard_uncertainty) if math.isfinite(standard_uncertainty) else math.inf,
            max(float(degrees_of_freedom), 1.0),
            EvaluationType.A,
            Distribution.NORMAL,
        )

    @classmethod
    def rectangular(cls, source: str, half_width: float) -> Contribution:
        """A type B contribution from a stated ±half-width (rectangular): a / √3, ν = ∞."""
        return cls(source, abs(half_width) / math.sqrt(3.0))

    @classmethod
    def normal(cls, source: str, standard_uncertainty: float) -> Contribution:
        """A type B contribution given as a standard uncertainty (e.g. U/k of a calibration certificate), ν = ∞."""
        return cls(source, abs(standard_uncertainty), math.inf, EvaluationType.B, Distribution.NORMAL)


def combine(contributions: Sequence[Contribution]) -> tuple[float, float, float]:
    """The combined standard uncertainty u, its effective degrees of freedom ν_eff and k for about 95 %.

    An infinite contribution (an ill-conditioned fit) makes u infinite: a metric of unknown U never passes.

    Raises:
        ValueError: If the budget is empty.
    """
    if not contributions:
        raise ValueError("a budget needs at least one contribution")
    if any(not math.isfinite(c.standard_uncertainty) for c in contributions):
        return math.inf, math.inf, 2.0
    pairs = [(c.standard_uncertainty, c.degrees_of_freedom) for c in contributions]
    dof = effective_degrees_of_freedom(pairs)
    return combined_standard_uncertainty(pairs), dof, coverage_factor(dof)

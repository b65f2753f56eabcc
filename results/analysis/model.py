"""Plain data shared by every analysis: metrics with uncertainty, spec limits, verdicts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from results.analysis.budget import Contribution, combine

__all__ = ["DEFAULT_COVERAGE_FACTOR", "DecisionRule", "Metric", "SpecLimits", "Verdict"]

#: Coverage factor for expanded uncertainties: k = 2 gives about 95 % coverage for a normal distribution.
DEFAULT_COVERAGE_FACTOR = 2.0


class Verdict(StrEnum):
    """Statement of conformity of one metric, or of a whole run."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class DecisionRule(StrEnum):
    """Decision rule of ILAC-G8:2019 agreed with the customer before the work.

    ``simple``: simple acceptance (shared risk, no guard band).
    ``guard_band``: guarded acceptance with a guard band equal to the expanded uncertainty U.
    """

    SIMPLE = "simple"
    GUARD_BAND = "guard_band"


@dataclass(frozen=True, slots=True)
class Metric:
    """One measured result with its expanded uncertainty.

    Attributes:
        name: Metric name in the lab's words, e.g. ``"ideality_factor"``; a valid HDF5 name (no ``/``).
        value: Measured value, in ``units``.
        expanded_uncertainty: Expanded uncertainty U = k * u, in ``units`` (non-negative, may be ``inf``).
        coverage_factor: k used to expand the combined standard uncertainty (2 for about 95 %).
        units: Units of ``value`` and ``expanded_uncertainty`` (``"1"`` for dimensionless).
        budget: The contributions U was combined from (GUM), in ``units``; empty where none was kept.
        notes: What a report must say about how the metric was obtained, e.g. points left out of a fit (a
            deviation, ISO/IEC 17025 7.8.2.1 m); empty when there is nothing to say.
    """

    name: str
    value: float
    expanded_uncertainty: float
    coverage_factor: float
    units: str
    budget: tuple[Contribution, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name or "/" in self.name or self.name in {".", ".."}:
            raise ValueError(f"metric name {self.name!r} is empty or not a valid HDF5 name")
        if not self.expanded_uncertainty >= 0.0:
            raise ValueError(f"{self.name}: expanded uncertainty must be >= 0, got {self.expanded_uncertainty}")
        if not self.coverage_factor > 0.0:
            raise ValueError(f"{self.name}: coverage factor must be > 0, got {self.coverage_factor}")

    @property
    def standard_uncertainty(self) -> float:
        """Combined standard uncertainty u = U / k, in ``units``."""
        return self.expanded_uncertainty / self.coverage_factor

    @classmethod
    def from_standard_uncertainty(
        cls,
        name: str,
        value: float,
        standard_uncertainty: float,
        units: str,
        *,
        coverage_factor: float = DEFAULT_COVERAGE_FACTOR,
    ) -> Metric:
        """Build a metric from a combined standard uncertainty u (U = k * u).

        A non-finite u (an ill-conditioned fit) becomes ``U = inf``: never pass on an unknown uncertainty.
        """
        u = abs(float(standard_uncertainty))
        expanded = coverage_factor * u if math.isfinite(u) else math.inf
        return cls(name, float(value), expanded, coverage_factor, units)

    @classmethod
    def from_budget(cls, name: str, value: float, budget: Sequence[Contribution], units: str) -> Metric:
        """Build a metric from its uncertainty budget: U = k * u, k from the effective degrees of freedom."""
        u, _, k = combine(budget)
        expanded = k * u if math.isfinite(u) else math.inf
        return cls(name, float(value), expanded, k, units, tuple(budget))

    @property
    def effective_degrees_of_freedom(self) -> float:
        """ν_eff of the budget (Welch-Satterthwaite); ``inf`` without a budget."""
        return combine(self.budget)[1] if self.budget else math.inf


@dataclass(frozen=True, slots=True)
class SpecLimits:
    """Acceptance limits of one metric (either side may be open).

    Attributes:
        lower: Lowest conforming value (inclusive), in ``units``; ``None`` for no lower limit.
        upper: Highest conforming value (inclusive), in ``units``; ``None`` for no upper limit.
        units: Units of the limits; must equal the metric's units.
    """

    lower: float | None
    upper: float | None
    units: str

    def __post_init__(self) -> None:
        if self.lower is None and self.upper is None:
            raise ValueError("spec limits need a lower limit, an upper limit or both")
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValueError(f"lower limit {self.lower} is above upper limit {self.upper}")

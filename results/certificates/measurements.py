"""Reported results: a measured value with its expanded uncertainty, its budget, its limits and its verdict.

Every value is in the unit printed beside it; the decision rule and verdict words are those of ISO/IEC 17025
7.8.6 and ILAC-G8:2019.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["BudgetLine", "DecisionRule", "Measurement", "Verdict"]


class DecisionRule(StrEnum):
    """How a measured value and its uncertainty become a verdict (ISO/IEC 17025 7.8.6, ILAC-G8:2019)."""

    SIMPLE_ACCEPTANCE = "simple acceptance"
    GUARD_BAND = "guard band"


class Verdict(StrEnum):
    """The conformity verdict of one result, in the words of ILAC-G8:2019."""

    PASS = "Pass"  # noqa: S105  # a verdict, not a password
    FAIL = "Fail"
    CONDITIONAL_PASS = "Conditional pass"  # noqa: S105
    CONDITIONAL_FAIL = "Conditional fail"
    NOT_ASSESSED = "Not assessed"


@dataclass(frozen=True)
class BudgetLine:
    """One input of a result's uncertainty budget, in the result's printed unit.

    Attributes:
        source: The input in words (``"Keithley 2450 current accuracy, gain, ranges used"``).
        evaluation: ``"A"`` or ``"B"`` (GUM 4.2, 4.3).
        distribution: ``"normal"`` or ``"rectangular"``.
        standard_uncertainty: Its contribution |c_i| u(x_i), in the result's unit; ``inf`` when unknown.
        degrees_of_freedom: ν_i; ``inf`` for a type B input.
    """

    source: str
    evaluation: str
    distribution: str
    standard_uncertainty: float
    degrees_of_freedom: float = math.inf


@dataclass(frozen=True)
class Measurement:
    """One reported result with its expanded uncertainty and, if specified, its limits.

    Attributes:
        metric: What was measured (``"Insulation resistance"``).
        value: The measured value, in ``unit``.
        expanded_uncertainty: U, in ``unit``, at coverage factor ``k``; never negative.
        coverage_factor: k (usually 2, about 95 % coverage); positive.
        unit: The unit symbol, e.g. ``"MΩ"``, ``"V"``.
        lower_limit: Lower specification limit in ``unit``, or ``None``.
        upper_limit: Upper specification limit in ``unit``, or ``None``.
        verdict: The verdict under the report's decision rule.
        budget: The uncertainty budget U was combined from (may be empty for results recorded without one).

    Raises:
        ValueError: on a non-finite value, a negative uncertainty or a non-positive coverage factor.
    """

    metric: str
    value: float
    expanded_uncertainty: float
    coverage_factor: float
    unit: str
    lower_limit: float | None = None
    upper_limit: float | None = None
    verdict: Verdict = Verdict.NOT_ASSESSED
    budget: tuple[BudgetLine, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.value) and math.isfinite(self.expanded_uncertainty)):
            raise ValueError("value and expanded uncertainty must be finite numbers")
        if self.expanded_uncertainty < 0:
            raise ValueError("expanded uncertainty must not be negative")
        if self.coverage_factor <= 0:
            raise ValueError("coverage factor k must be positive")

"""The uncertainty budgets of a run's results as a report prints them: each input's contribution, then what they
combine to (u_c, ν_eff, k, U), and whether U was raised to the method's validated uncertainty."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from results.analysis.uncertainty import combined_standard_uncertainty, effective_degrees_of_freedom
from results.certificates.formatting import format_coverage_factor, format_result
from results.certificates.measurements import Measurement
from results.certificates.styles import LABEL, SMALL, grid, paragraph

__all__ = ["BUDGET_NOTE", "budget_rows", "budget_story"]

BUDGET_NOTE = (
    "Contributions are standard uncertainties |c_i|·u(x_i) in the result's unit, inputs taken as uncorrelated "
    "(GUM, JCGM 100:2008); ν_eff by Welch-Satterthwaite, k for a coverage probability of about 95 %."
)


def _significant(value: float) -> str:
    """Two significant digits: a budget line's size, not a result."""
    return "unknown" if not math.isfinite(value) else f"{value:.2g}"


def _dof(value: float) -> str:
    """Degrees of freedom as a budget states them: beyond 1000 they no longer change k (∞ for type B)."""
    if not math.isfinite(value):
        return "∞"
    return "> 1000" if value > 1000 else f"{value:.0f}"


def _combined(measurement: Measurement) -> tuple[float, float]:
    """u_c and ν_eff of the printed budget (an unknown line makes both unknown)."""
    lines = measurement.budget
    if any(not math.isfinite(line.standard_uncertainty) for line in lines):
        return math.inf, math.inf
    pairs = [(line.standard_uncertainty, line.degrees_of_freedom) for line in lines]
    return combined_standard_uncertainty(pairs), effective_degrees_of_freedom(pairs)


def budget_rows(measurement: Measurement) -> list[list[str]]:
    """The rows of one result's budget: its inputs, then the combined line (empty without a budget)."""
    if not measurement.budget:
        return []
    unit = f" {measurement.unit}" if measurement.unit not in {"", "1"} else ""
    rows = [
        [
            measurement.metric if index == 0 else "",
            line.source,
            line.evaluation,
            line.distribution,
            f"{_significant(line.standard_uncertainty)}{unit}",
            _dof(line.degrees_of_freedom),
        ]
        for index, line in enumerate(measurement.budget)
    ]
    u, dof = _combined(measurement)
    _, expanded = format_result(measurement)
    k = format_coverage_factor(measurement.coverage_factor)
    combined = f"combined u_c = {_significant(u)}{unit}; ν_eff = {_dof(dof)}; U = {expanded}{unit} (k = {k})"
    # The recorded U is k·u_c unless the method's validated figure raised it (a rounding of u_c is not a raise).
    if math.isfinite(u) and measurement.expanded_uncertainty > measurement.coverage_factor * u * (1 + 1e-6):
        combined += ", raised to the method's validated uncertainty"
    rows.append(["", combined, "", "", "", ""])
    return rows


def budget_story(measurements: Sequence[Measurement], width: float) -> list[Flowable]:
    """The run's budget table with its heading and note; nothing when no result has a budget."""
    rows = [row for measurement in measurements for row in budget_rows(measurement)]
    if not rows:
        return []
    table = grid(
        ["Quantity", "Input", "Type", "Distribution", "Contribution u_i", "ν_i"],
        rows,
        [0.17 * width, 0.39 * width, 0.08 * width, 0.13 * width, 0.16 * width, 0.07 * width],
    )
    # A result's combined line reads across the input columns (row 0 is the header).
    spans = [("SPAN", (1, i + 1), (5, i + 1)) for i, row in enumerate(rows) if row[2] == "" and row[1]]
    table.setStyle(TableStyle(spans))
    heading = paragraph("Uncertainty budgets", LABEL)
    return [Spacer(1, 2 * mm), KeepTogether([heading, table]), paragraph(BUDGET_NOTE, SMALL)]

"""Results as a report states them: each metric with its unit and U, and the statement of conformity.

A run's ``metrics`` is ``{name: {value, expanded_uncertainty, coverage_factor, units, lower_limit, upper_limit,
verdict, budget}}`` with ``verdict`` one of ``pass``, ``fail``, ``inconclusive`` or null (no limit to judge against).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from labsys.errors import Conflict
from labsys.runs.models import Run
from results.certificates import BudgetLine, DecisionRule, Measurement, Verdict
from results.certificates.formatting import format_limits, format_result

__all__ = ["ReportedResult", "conformity_statement", "measurement", "metric_title", "report_unit", "reported_results"]

#: Units as the lab writes them in its records, and as a report prints them.
_UNITS = {"ohm": "Ω", "kohm": "kΩ", "Mohm": "MΩ", "degC": "°C", "uA": "µA", "uF": "µF", "us": "µs"}


def metric_title(name: str) -> str:
    """A metric's name as a report prints it: ``ideality_factor`` → ``Ideality factor``."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def report_unit(unit: str) -> str:
    """The printed unit symbol of a unit as the lab's records spell it."""
    return _UNITS.get(unit, unit)


#: SI units that take a prefix on a report; others (``ppm/K``, ``""``) are printed as recorded.
_PREFIXABLE = frozenset({"A", "V", "Ω", "F", "H", "s", "W", "Hz"})
_PREFIXES = {-15: "f", -12: "p", -9: "n", -6: "µ", -3: "m", 0: "", 3: "k", 6: "M", 9: "G"}


def _prefix(value: float, unit: str) -> tuple[float, str]:
    """The factor and unit that print ``value`` with an SI prefix: 2.7e-9 A reads 2.7 nA, not 0.0000000027 A."""
    if unit not in _PREFIXABLE or not math.isfinite(value) or value == 0 or 0.01 <= abs(value) < 1e5:
        return 1.0, unit  # 0.83 Ω reads best as it is
    exponent = max(-15, min(9, 3 * math.floor(math.log10(abs(value)) / 3)))
    return 10.0**-exponent, f"{_PREFIXES[exponent]}{unit}"


def _limit(values: dict[str, Any], key: str, factor: float = 1.0) -> float | None:
    value = values.get(key)
    return None if value is None else float(value) * factor


def _verdict(values: dict[str, Any]) -> Verdict:
    """ILAC-G8 words: an inconclusive result is a conditional pass inside the limits, a conditional fail outside."""
    verdict = values.get("verdict")
    if verdict == "pass":
        return Verdict.PASS
    if verdict == "fail":
        return Verdict.FAIL
    if verdict != "inconclusive":
        return Verdict.NOT_ASSESSED
    value, lower, upper = float(values["value"]), _limit(values, "lower_limit"), _limit(values, "upper_limit")
    inside = (lower is None or value >= lower) and (upper is None or value <= upper)
    return Verdict.CONDITIONAL_PASS if inside else Verdict.CONDITIONAL_FAIL


def _budget(lines: list[dict[str, Any]], factor: float) -> tuple[BudgetLine, ...]:
    """A recorded budget in the printed unit (the result's SI prefix); a null figure is an unknown one."""

    def number(value: Any) -> float:
        return math.inf if value is None else float(value)

    return tuple(
        BudgetLine(
            str(line["source"]),
            str(line["evaluation"]),
            str(line["distribution"]),
            number(line["standard_uncertainty"]) * factor,
            number(line.get("degrees_of_freedom")),
        )
        for line in lines
    )


def measurement(name: str, values: dict[str, Any]) -> Measurement:
    """One reported result from a run's metric.

    Raises:
        Conflict: the metric lacks a value or its uncertainty, or they are not finite numbers.
    """
    try:
        value = float(values["value"])
        factor, unit = _prefix(value, report_unit(str(values.get("units") or "")))
        return Measurement(
            metric=metric_title(name),
            value=value * factor,
            expanded_uncertainty=float(values["expanded_uncertainty"]) * factor,
            coverage_factor=float(values.get("coverage_factor") or 2.0),
            unit=unit,
            lower_limit=_limit(values, "lower_limit", factor),
            upper_limit=_limit(values, "upper_limit", factor),
            verdict=_verdict(values),
            budget=_budget(values.get("budget") or [], factor),
        )
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"the metric {name!r} cannot be reported: {exc}"
        raise Conflict(msg, metric=name) from exc


@dataclass(frozen=True)
class ReportedResult:
    """A run's metric as its report will print it, for a reviewer to read before approving.

    Attributes:
        name: The metric's name as the run recorded it (``series_resistance``).
        value: The value, rounded to the decimal place of U (GUM 7.2.6), in ``unit``; empty with a ``problem``.
        expanded_uncertainty: U, two significant digits rounded up, in ``unit``.
        coverage_factor: k.
        unit: The printed unit, with its SI prefix (``nA``).
        limits: The specification limits (``≤ 2``, ``1 … 2``, ``-`` for none).
        verdict: The verdict as the report words it (ILAC-G8: ``Pass``, ``Conditional pass`` …).
        recorded_verdict: The run's own verdict: ``pass``, ``fail``, ``inconclusive``, or None (nothing to judge).
        problem: Why the metric cannot be reported (issuing would be refused); empty when it can.
    """

    name: str
    value: str
    expanded_uncertainty: str
    coverage_factor: float
    unit: str
    limits: str
    verdict: str
    recorded_verdict: str | None
    problem: str = ""


def reported_results(metrics: Mapping[str, dict[str, Any]]) -> list[ReportedResult]:
    """Each metric of a run (``Run.metrics``) as its report will print it; one that cannot be reported carries
    the reason in ``problem`` instead of raising."""
    results = []
    for name, values in metrics.items():
        recorded = values.get("verdict")
        try:
            stated = measurement(name, values)
        except Conflict as exc:
            results.append(ReportedResult(name, "", "", 0.0, "", "", "", recorded, problem=exc.detail))
            continue
        value, uncertainty = format_result(stated)
        limits, verdict = format_limits(stated), stated.verdict.value
        results.append(
            ReportedResult(name, value, uncertainty, stated.coverage_factor, stated.unit, limits, verdict, recorded)
        )
    return results


def _names(runs: Iterable[Run], verdicts: set[str]) -> list[str]:
    return [
        f"{metric_title(name)} (run {run.id})"
        for run in runs
        for name, values in run.metrics.items()
        if values.get("verdict") in verdicts
    ]


def conformity_statement(runs: Iterable[Run], rule: DecisionRule) -> str:
    """The statement of conformity (ISO/IEC 17025 7.8.6) from the runs' verdicts, naming the decision rule."""
    runs = tuple(runs)
    how = f"applying the {rule.value} decision rule agreed before the tests"
    failed, undecided = _names(runs, {"fail"}), _names(runs, {"inconclusive"})
    assessed = _names(runs, {"pass", "fail", "inconclusive"})
    if failed:
        statement = f"The items tested do not conform to the specified limits ({how}): {', '.join(failed)}."
        if undecided:
            statement += f" Conformity could not be decided for {', '.join(undecided)}."
        return statement
    if undecided:
        return (
            f"Conformity could not be decided ({how}): the measured value of {', '.join(undecided)} lies within "
            "the uncertainty of a limit. No other result exceeds its limits."
        )
    if assessed:
        return f"The items tested conform to the specified limits for every assessed quantity ({how})."
    return "No statement of conformity is made: the method specifies no limits for the reported quantities."

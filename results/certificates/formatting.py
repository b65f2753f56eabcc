"""How numbers, limits and text appear on a report."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from results.certificates.measurements import Measurement

__all__ = ["format_coverage_factor", "format_date", "format_limits", "format_result", "printable"]

# NanumGothic lacks a few code points that units use; these look the same and it has them.
_SUBSTITUTES = str.maketrans(
    {
        "\u00b5": "\u03bc",  # micro sign -> Greek small mu
        "\u2126": "\u03a9",  # ohm sign -> Greek capital omega
        "\u2212": "-",  # minus sign -> hyphen-minus
    }
)


def printable(text: str) -> str:
    """Make text safe for a reportlab paragraph: XML-escaped, with glyphs the report font has."""
    return escape(text.translate(_SUBSTITUTES))


def format_date(day: date) -> str:
    """Format a date as ISO 8601 (``2025-03-14``), unambiguous in every language the lab writes."""
    return day.isoformat()


def _decimals_for(uncertainty: float) -> int:
    """Decimal places that leave two significant digits of U (negative: round to tens, hundreds, …)."""
    if uncertainty == 0:
        return 6
    return 1 - math.floor(math.log10(uncertainty))


def _rounded(value: float, decimals: int, rounding: str) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    # repr() first: the shortest decimal that reads back as the float, so 0.024 is 0.024, not 0.0240000…04.
    result = Decimal(repr(value)).quantize(quantum, rounding=rounding)
    return f"{result:.{max(decimals, 0)}f}"


def format_result(measurement: Measurement) -> tuple[str, str]:
    """Format a value and its expanded uncertainty as GUM 7.2.6 asks.

    U keeps two significant digits and is rounded up (never understated); the value is rounded half-up to
    the same decimal place.

    Returns:
        ``(value, uncertainty)`` as strings without the unit, e.g. ``("12.346", "0.024")``.
    """
    decimals = _decimals_for(measurement.expanded_uncertainty)
    return (
        _rounded(measurement.value, decimals, ROUND_HALF_UP),
        _rounded(measurement.expanded_uncertainty, decimals, ROUND_CEILING),
    )


def format_coverage_factor(k: float) -> str:
    """k as a report states it: two decimals (``2.05``), never the Welch-Satterthwaite figure's noise digits."""
    return f"{k:.2f}"


def format_limits(measurement: Measurement) -> str:
    """Format the specification limits (``"≥ 100"``, ``"≤ 5.0"``, ``"4.5 … 5.5"``; ``"-"`` for none)."""
    lower, upper = measurement.lower_limit, measurement.upper_limit
    if lower is not None and upper is not None:
        return f"{lower:g} \u2026 {upper:g}"
    if lower is not None:
        return f"\u2265 {lower:g}"
    if upper is not None:
        return f"\u2264 {upper:g}"
    return "-"

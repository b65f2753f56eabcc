"""How numbers, limits and text appear on a report."""

from __future__ import annotations

import math
from datetime import date
from xml.sax.saxutils import escape

from results.certificates.model import Measurement

__all__ = ["format_date", "format_limits", "format_result", "printable"]

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
    # GUM 7.2.6: state U with at most two significant digits, and the value to the same decimal place.
    if uncertainty == 0:
        return 6
    return max(0, 1 - math.floor(math.log10(uncertainty)))


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def format_result(measurement: Measurement) -> tuple[str, str]:
    """Format a value and its expanded uncertainty, both rounded to the uncertainty's two significant digits.

    Returns:
        ``(value, uncertainty)`` as strings without the unit, e.g. ``("12.346", "0.024")``.
    """
    uncertainty = measurement.expanded_uncertainty
    decimals = _decimals_for(uncertainty)
    # Rounding U up never understates it; round() first drops float noise such as 24.000000000000004.
    scaled = math.ceil(round(uncertainty * 10**decimals, 9))
    return _number(measurement.value, decimals), _number(scaled / 10**decimals, decimals)


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

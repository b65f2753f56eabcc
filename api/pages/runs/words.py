"""Words the run pages show: verdicts, and the quantities a plot's axes carry (named by their unit)."""

from __future__ import annotations

from typing import Any

from api.pages.i18n import gettext
from api.pages.vocabulary import N_, metric_label
from labsys.certificates.conformity import report_unit

__all__ = ["VERDICTS", "labelled_preview", "verdict_labels"]

#: A run's or a metric's verdict as people read it.
VERDICTS = {
    "pass": N_("Pass"),
    "fail": N_("Fail"),
    "inconclusive": N_("Inconclusive"),
}


def verdict_labels() -> dict[str, str]:
    """Each verdict in the request's language."""
    return {verdict: gettext(label) for verdict, label in VERDICTS.items()}


#: What a plot's axis shows, with its unit, by the unit of its values.
_AXES = {
    "V": N_("Voltage (V)"),
    "A": N_("Current (A)"),
    "s": N_("Time (s)"),
    "degC": N_("Temperature (°C)"),
    "ohm": N_("Resistance (Ω)"),
    "Hz": N_("Frequency (Hz)"),
    "F": N_("Capacitance (F)"),
}


def _symbol(unit: str) -> str:
    return "" if unit in {"", "1"} else report_unit(unit)


def _axis_label(unit: str, name: str) -> str:
    """``전압 (V)``: the quantity (by its unit, else by the series' name) and the unit symbol."""
    if unit in _AXES:
        return gettext(_AXES[unit])
    quantity, symbol = (metric_label(name) if name else ""), _symbol(unit)
    return f"{quantity} ({symbol})" if quantity and symbol else quantity or symbol


def labelled_preview(preview: dict[str, Any]) -> dict[str, Any]:
    """A run's preview with its axes' labels in the request's language (``x_label``, ``y_label``), the unit
    symbols a person reads (``x_symbol``, ``y_symbol``) and the names of each bucket's largest and smallest value
    (``max_label``, ``min_label``)."""
    name = str(preview.get("series", "")).rsplit("/", 1)[-1]
    x_units, y_units = str(preview.get("x_units", "")), str(preview.get("y_units", ""))
    return {
        **preview,
        "x_label": _axis_label(x_units, ""),
        "y_label": _axis_label(y_units, name),
        "x_symbol": _symbol(x_units),
        "y_symbol": _symbol(y_units),
        "max_label": gettext("Largest"),
        "min_label": gettext("Smallest"),
    }

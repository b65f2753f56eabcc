"""Reading a page's form: a field's errors in the person's language, from the service's own validation."""

from __future__ import annotations

import math

from pydantic import ValidationError

from api.pages.i18n import gettext as _

__all__ = ["field_errors", "number", "plain", "significant"]


def _message(error_type: str, context: dict[str, object]) -> str:
    if error_type == "string_too_short":
        return _("Fill this in.")
    if error_type == "string_too_long":
        return _("At most %(limit)s characters.", limit=context.get("max_length", ""))
    return _("This value is not valid.")


def field_errors(error: ValidationError) -> dict[tuple[str | int, ...], str]:
    """Each invalid field's location (as pydantic names it) and why, one sentence per field."""
    errors: dict[tuple[str | int, ...], str] = {}
    for problem in error.errors():
        errors.setdefault(tuple(problem["loc"]), _message(problem["type"], dict(problem.get("ctx") or {})))
    return errors


def number(text: str) -> float | None:
    """The number a person typed (``1,000`` and ``1e-3`` too), or None if it is none."""
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        return None


def plain(value: float) -> str:
    """A number as a form field holds it and a person reads it: ``56``, ``0.3``, ``1e-06``, ``1000000`` (never
    ``1e+06``)."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def significant(value: float, digits: int = 2) -> str:
    """``value`` to ``digits`` significant digits, written out (an uncertainty of 2e-05 nA reads ``0.000020``)."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}"

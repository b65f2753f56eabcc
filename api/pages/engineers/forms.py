"""Reading a page's form: a field's errors in the person's language, from the service's own validation."""

from __future__ import annotations

from pydantic import ValidationError

from api.pages.i18n import gettext as _

__all__ = ["field_errors", "number"]


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

"""Reading the reviewers' forms: a reason for a step, and the errors to show next to each field."""

from __future__ import annotations

from pydantic import ValidationError

from api.pages.i18n import gettext as _

__all__ = ["field_errors", "reason_of"]


def reason_of(data: dict[str, str]) -> str:
    """The form's ``reason``, without the blank space around it (a reason of spaces says nothing)."""
    return data.get("reason", "").strip()


def field_errors(error: ValidationError, required: dict[str, str]) -> dict[str, str]:
    """The message to show next to each field a model refused: ``required[field]`` when it is missing or empty,
    the length allowed when it is too long."""
    errors: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        if problem["type"] == "string_too_long":
            errors[field] = _("Write at most %(count)s characters.", count=problem.get("ctx", {}).get("max_length"))
        else:
            errors[field] = required.get(field, _("Check this value."))
    return errors

"""What a customer's form says when a value is wrong: one sentence per field, in the page's language.

The services' models judge the values (pydantic); this module only words their judgement for the person who
typed them, next to the field they typed them in.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from api.pages.i18n import gettext as _
from labsys.companies.brn import InvalidBrn

__all__ = ["brn_problem", "field_errors", "field_name"]


def brn_problem(error: InvalidBrn) -> str:
    """Why a text is not a business registration number, as the form says it."""
    if error.reason == "check_digit":
        return _("This number's check digit does not match: please check each digit against your registration.")
    if error.reason == "all_zero":
        return _("000-00-00000 is not a number any business is given: enter your registration's number.")
    return _("A business registration number has 10 digits, like 124-81-00998.")


def field_name(location: tuple[int | str, ...], fields: Collection[str]) -> str:
    """The form field a model's error location points at: the longest prefix that names a field of the form
    (``("samples", 0, "label")`` → ``samples-0-label``), or the location's first part."""
    for length in range(len(location), 0, -1):
        name = "-".join(str(part) for part in location[:length])
        if name in fields:
            return name
    return str(location[0]) if location else ""


def _number_problem(kind: str, context: dict[str, Any]) -> str | None:
    if kind in {"int_parsing", "int_type", "int_from_float", "float_parsing"}:
        return _("Enter a whole number.")
    if kind == "greater_than":
        return _("Enter a number greater than %(limit)s.", limit=context.get("gt", ""))
    if kind == "greater_than_equal":
        return _("Enter a number of at least %(limit)s.", limit=context.get("ge", ""))
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a number of at most %(limit)s.", limit=context.get("le", context.get("lt", "")))
    return None


def _text_problem(kind: str, context: dict[str, Any]) -> str | None:
    if kind == "missing" or (kind == "string_too_short" and context.get("min_length") == 1):
        return _("Fill this in.")
    if kind == "string_too_short":
        return _("Enter at least %(count)s characters.", count=context.get("min_length", ""))
    if kind == "string_too_long":
        return _("Enter at most %(count)s characters.", count=context.get("max_length", ""))
    if kind in {"too_short", "too_long"}:
        return _("Give between one and %(count)s.", count=context.get("max_length", 100))
    return None


def _problem(error: ErrorDetails) -> str:
    kind, context = error["type"], dict(error.get("ctx") or {})
    cause = context.get("error")
    if isinstance(cause, InvalidBrn):
        return brn_problem(cause)
    if kind == "value_error" and "reason" in context:  # an email address pydantic's email check refused
        return _("Enter an email address, like name@example.com.")
    if kind.startswith(("datetime", "timezone")) or kind == "literal_error":
        return _("Choose a time from the calendar, or the earliest free slot.")
    if kind == "enum":
        return _("Choose one of the options.")
    return _text_problem(kind, context) or _number_problem(kind, context) or _("This value is not valid.")


def field_errors(error: ValidationError, fields: Collection[str]) -> dict[str, str]:
    """A sentence for each field of the form that ``error`` finds wrong (the first problem of each)."""
    problems: dict[str, str] = {}
    for detail in error.errors():
        problems.setdefault(field_name(tuple(detail["loc"]), fields), _problem(detail))
    return problems

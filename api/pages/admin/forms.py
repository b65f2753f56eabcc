"""The admin's forms: what was typed, and what is wrong with it, next to each field in the page's language.

A form is posted URL-encoded; its blank fields never arrive (the parser drops them), so a model's default or its
"missing" error applies to them as to a JSON body without the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from api.pages.i18n import gettext as _
from labsys.errors import LabError

__all__ = ["FieldErrors", "field_of", "typed", "validation_errors"]

#: Each field's problem, by the field's name, as the person reads it.
FieldErrors = dict[str, str]


def typed(data: Mapping[str, Any], names: Iterable[str], *, verbatim: Iterable[str] = ()) -> dict[str, str]:
    """The fields ``names`` of a posted form that hold something, trimmed (those in ``verbatim`` as typed:
    a password's spaces are part of it)."""
    kept = set(verbatim)
    values = {}
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            values[name] = value if name in kept else value.strip()
    return values


def _limit(name: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda context: context.get(name, "")


_PROBLEMS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda _c: _("Fill this in."),
    "string_too_short": lambda c: _("Use at least %(count)s characters.", count=_limit("min_length")(c)),
    "string_too_long": lambda c: _("Use at most %(count)s characters.", count=_limit("max_length")(c)),
    "string_pattern_mismatch": lambda _c: _("Use capital letters, digits and dashes only."),
    "too_short": lambda c: _("Give at least %(count)s.", count=_limit("min_length")(c)),
    "int_parsing": lambda _c: _("Enter a whole number."),
    "int_from_float": lambda _c: _("Enter a whole number."),
    "int_type": lambda _c: _("Enter a whole number."),
    "float_parsing": lambda _c: _("Enter a number."),
    "float_type": lambda _c: _("Enter a number."),
    "date_parsing": lambda _c: _("Enter a date."),
    "date_from_datetime_parsing": lambda _c: _("Enter a date."),
    "date_type": lambda _c: _("Enter a date."),
    "greater_than": lambda c: _("Enter a number greater than %(limit)s.", limit=_limit("gt")(c)),
    "greater_than_equal": lambda c: _("Enter %(limit)s or more.", limit=_limit("ge")(c)),
    "less_than_equal": lambda c: _("Enter %(limit)s or less.", limit=_limit("le")(c)),
    "enum": lambda _c: _("Choose one of the options."),
    "list_type": lambda _c: _("Write a list: [ … ]."),
    "model_type": lambda _c: _("Write each entry as an object: { … }."),
    "dict_type": lambda _c: _("Write each entry as an object: { … }."),
    "bool_parsing": lambda _c: _("Write true or false."),
}


def _problem(error: ErrorDetails, refusals: Mapping[str, str], field: str) -> str:
    if error["type"] == "value_error" and field in refusals:
        return refusals[field]
    say = _PROBLEMS.get(error["type"])
    if say is not None:
        return say(error.get("ctx", {}))
    # A validator's own sentence (a record's cross-check): shown as it is written.
    return error["msg"].removeprefix("Value error, ")


def validation_errors(error: ValidationError, *, whole: str, refusals: Mapping[str, str] | None = None) -> FieldErrors:
    """Each field's first problem in ``error``.

    Args:
        error: what the model refused.
        whole: the field that shows a check on the whole record (a validator of the model itself).
        refusals: by field, the sentence for a validator's refusal of it (an email that is not one), in the
            page's language; other refusals show the validator's own sentence.
    """
    said = refusals or {}
    errors: FieldErrors = {}
    for problem in error.errors():
        location = problem["loc"]
        field = str(location[0]) if location else whole
        message = _problem(problem, said, field)
        if len(location) > 1 and isinstance(location[1], int):  # an entry of a list: which one, and which key
            entry = location[1] + 1
            if len(location) > 2:
                message = _("Entry %(number)s, %(key)s: %(problem)s", number=entry, key=location[2], problem=message)
            else:
                message = _("Entry %(number)s: %(problem)s", number=entry, problem=message)
        errors.setdefault(field, message)
    return errors


def field_of(error: LabError, default: str) -> str:
    """The field a service's refusal names, or ``default``."""
    field = error.extra.get("field")
    return field if isinstance(field, str) else default

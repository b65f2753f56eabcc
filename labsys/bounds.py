"""The range of values the lab can store and compute with: integers its database holds, times in its era.

Ids and counts are SQL ``INTEGER``, which PostgreSQL keeps in 32 bits, so one beyond :data:`DB_INT_MAX` can be
neither stored nor found (SQLite refuses a number past 2^63 even in a lookup). Money is ``BIGINT`` (a large
equipment verification costs more than ₩2.1 billion), bounded by :data:`MONEY_MAX_KRW`, the largest whole number
a JSON client reading numbers as doubles (JavaScript) still reads exactly. A field carries money when its name ends
in ``_krw``, as every amount of the lab's does (:func:`integer_bounds`). Times belong to the years
:data:`LAB_YEARS`: a year such as 1 or 9999 is a slip of the keyboard, and arithmetic on it (a week later, the
lab's zone) runs off the ends of the calendar.

The request types (``RecordId``, ``LabDate``; a booking's start in :mod:`labsys.bookings.models`) carry
these bounds into validation and into the API's schema; :func:`check_lab_time` applies the same rule to a value a
service receives as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator, Field

from labsys.errors import InvalidInput

__all__ = [
    "DB_INT_MAX",
    "DB_INT_MIN",
    "LAB_YEARS",
    "MONEY_MAX_KRW",
    "MONEY_SUFFIX",
    "LabDate",
    "RecordId",
    "check_lab_time",
    "integer_bounds",
    "within_lab_years",
]

#: The smallest and the largest integer every database of the lab stores: SQL ``INTEGER`` on PostgreSQL.
DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1

#: The largest amount of money, in KRW, the lab records: 2^53 - 1 (about ₩9,007 trillion), the largest integer an
#: IEEE double holds exactly, so a JSON client in any language reads a fee to the won. ``BIGINT`` holds far more.
MONEY_MAX_KRW = 2**53 - 1

#: How the name of a field that carries money ends (``fee_krw``, ``unit_fee_krw``).
MONEY_SUFFIX = "_krw"

#: The first and the last year of a time the lab accepts.
LAB_YEARS = (2000, 2100)

_When = TypeVar("_When", date, datetime)


def within_lab_years(value: _When) -> _When:
    """``value`` itself, if its year lies within :data:`LAB_YEARS`.

    Raises:
        ValueError: the year lies outside (pydantic reports it as a validation error of the field).
    """
    first, last = LAB_YEARS
    if not first <= value.year <= last:
        msg = f"the year must lie between {first} and {last}"
        raise ValueError(msg)
    return value


def check_lab_time(field: str, value: _When) -> _When:
    """``value`` itself, if its year lies within :data:`LAB_YEARS`.

    Raises:
        InvalidInput: naming ``field``, the year lies outside.
    """
    try:
        return within_lab_years(value)
    except ValueError as exc:
        raise InvalidInput(field, f"{field}: {exc}") from exc


def integer_bounds(field: str) -> tuple[int, int]:
    """The least and the greatest integer the lab stores in a field named ``field``: an amount of money (a name
    ending in :data:`MONEY_SUFFIX`) within ±:data:`MONEY_MAX_KRW`, any other within SQL ``INTEGER``."""
    if field.endswith(MONEY_SUFFIX):
        return -MONEY_MAX_KRW, MONEY_MAX_KRW
    return DB_INT_MIN, DB_INT_MAX


#: A record's id in a request: a positive integer the database can hold.
RecordId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]

#: A calendar date in a request, in the lab's years.
LabDate = Annotated[date, AfterValidator(within_lab_years)]

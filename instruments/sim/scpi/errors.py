"""SCPI errors: the standard codes and messages (SCPI-99 §21.8) and the exception that queues one.

A command the instrument refuses raises :class:`ScpiError`; the device puts ``code,"message"`` in its error queue
and sets the matching bit of the Standard Event Status Register (IEEE 488.2 §11.5.1): a command error (-1xx) is
CME, an execution error (-2xx) EXE, a device-specific error (-3xx and positive codes) DDE, a query error (-4xx) QYE.
"""

from __future__ import annotations

__all__ = [
    "BLOCK_DATA_NOT_ALLOWED",
    "CHARACTER_DATA_NOT_ALLOWED",
    "DATA_OUT_OF_RANGE",
    "DATA_TYPE_ERROR",
    "HEADER_SUFFIX_OUT_OF_RANGE",
    "ILLEGAL_PARAMETER_VALUE",
    "INVALID_BLOCK_DATA",
    "INVALID_CHARACTER",
    "INVALID_SEPARATOR",
    "INVALID_STRING_DATA",
    "INVALID_SUFFIX",
    "MISSING_PARAMETER",
    "MNEMONIC_TOO_LONG",
    "NUMERIC_DATA_NOT_ALLOWED",
    "PARAMETER_NOT_ALLOWED",
    "QUEUE_OVERFLOW",
    "SETTINGS_CONFLICT",
    "STRING_DATA_NOT_ALLOWED",
    "SUFFIX_NOT_ALLOWED",
    "SYNTAX_ERROR",
    "UNDEFINED_HEADER",
    "ScpiError",
    "event_bit",
]

INVALID_CHARACTER = (-101, "Invalid character")
SYNTAX_ERROR = (-102, "Syntax error")
INVALID_SEPARATOR = (-103, "Invalid separator")
DATA_TYPE_ERROR = (-104, "Data type error")
PARAMETER_NOT_ALLOWED = (-108, "Parameter not allowed")
MISSING_PARAMETER = (-109, "Missing parameter")
MNEMONIC_TOO_LONG = (-112, "Program mnemonic too long")
UNDEFINED_HEADER = (-113, "Undefined header")
HEADER_SUFFIX_OUT_OF_RANGE = (-114, "Header suffix out of range")
NUMERIC_DATA_NOT_ALLOWED = (-128, "Numeric data not allowed")
INVALID_SUFFIX = (-131, "Invalid suffix")
SUFFIX_NOT_ALLOWED = (-138, "Suffix not allowed")
CHARACTER_DATA_NOT_ALLOWED = (-148, "Character data not allowed")
INVALID_STRING_DATA = (-151, "Invalid string data")
STRING_DATA_NOT_ALLOWED = (-158, "String data not allowed")
INVALID_BLOCK_DATA = (-161, "Invalid block data")
BLOCK_DATA_NOT_ALLOWED = (-168, "Block data not allowed")
SETTINGS_CONFLICT = (-221, "Settings conflict")
DATA_OUT_OF_RANGE = (-222, "Data out of range")
ILLEGAL_PARAMETER_VALUE = (-224, "Illegal parameter value")
QUEUE_OVERFLOW = (-350, "Queue overflow")

# Standard Event Status Register bits (IEEE 488.2 §11.5.1.1).
_QYE, _DDE, _EXE, _CME = 4, 8, 16, 32


class ScpiError(Exception):
    """A command the instrument refuses; it goes to the error queue as ``code,"message"``.

    Args:
        error: The ``(code, message)`` pair, e.g. :data:`UNDEFINED_HEADER`.
    """

    def __init__(self, error: tuple[int, str]) -> None:
        super().__init__(f'{error[0]},"{error[1]}"')
        self.code, self.message = error


def event_bit(code: int) -> int:
    """Get the Standard Event Status Register bit an error of ``code`` sets (0 for ``0, "No error"``)."""
    if -199 <= code <= -100:
        return _CME
    if -299 <= code <= -200:
        return _EXE
    if -499 <= code <= -400:
        return _QYE
    if code != 0:
        return _DDE
    return 0

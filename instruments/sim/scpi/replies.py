"""How an instrument writes its replies: numbers as NR1/NR2/NR3, strings in quotes, definite-length blocks.

Each model writes numbers its own way (a 34410A ``+9.92300000E+02``, an E4980A ``+9.99915E-08``); an integer is
NR1 everywhere (``:WAV:POIN?`` answers ``1000``). A model's :class:`ReplyFormat` says how it writes them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NOT_A_NUMBER", "OVERFLOW", "ReplyFormat", "definite_block", "nr1", "nr2", "nr3", "quoted"]

#: What SCPI instruments send for an infinite or overflowed value (SCPI-99 §7.2.1.5).
OVERFLOW = 9.9e37
#: What they send for "not a number" (SCPI-99 §7.2.1.5).
NOT_A_NUMBER = 9.91e37


def nr1(value: float) -> str:
    """Write an integer as NR1: ``1000``, ``-3``."""
    return str(round(value))


def nr2(decimals: int) -> Callable[[float], str]:
    """Get a writer of NR2 with ``decimals`` digits after the point: ``nr2(3)(0.5)`` is ``0.500``."""

    def write(value: float) -> str:
        return f"{_finite(value):.{decimals}f}"

    return write


def nr3(decimals: int, *, sign: bool = True) -> Callable[[float], str]:
    """Get a writer of NR3 with ``decimals`` mantissa digits after the point: ``nr3(9)(1e3)`` is
    ``+1.000000000E+03``; without ``sign``, positive numbers have none (``1.000000E+03``)."""

    def write(value: float) -> str:
        return f"{_finite(value):{'+' if sign else ''}.{decimals}E}"

    return write


def _finite(value: float) -> float:
    if math.isnan(value):
        return NOT_A_NUMBER
    return math.copysign(OVERFLOW, value) if math.isinf(value) else value


def quoted(text: str) -> str:
    """Write string response data: in double quotes, a quote inside doubled."""
    return '"' + text.replace('"', '""') + '"'


def definite_block(payload: bytes, *, digits: int | None = None) -> bytes:
    """Write ``payload`` as an IEEE 488.2 definite-length block, ``#<n><length><payload>``.

    Args:
        payload: The bytes.
        digits: How many length digits the instrument always sends (8 on InfiniiVision scopes: ``#800001000``);
            None for as many as the length needs.
    """
    length = str(len(payload)) if digits is None else f"{len(payload):0{digits}d}"
    return f"#{len(length)}{length}".encode("ascii") + payload


_NR3 = nr3(9)


@dataclass(frozen=True, slots=True)
class ReplyFormat:
    """How one model writes the numbers of its replies.

    Attributes:
        number: Writes a real number (NR3 on most instruments).
        integer: Writes an integer (NR1).
    """

    number: Callable[[float], str] = _NR3
    integer: Callable[[float], str] = nr1

"""The Korean business registration number (사업자등록번호) and its check digit."""

from __future__ import annotations

from typing import Literal

__all__ = ["InvalidBrn", "format_brn", "normalize_brn"]

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


class InvalidBrn(ValueError):
    """A text that is not a business registration number, and why: ``reason`` is ``"format"`` (not ten digits),
    ``"check_digit"`` (ten digits whose last does not match the others) or ``"all_zero"`` (``000-00-00000``, whose
    check digit matches but which no business is given), so a page can say it in its own words."""

    def __init__(self, message: str, reason: Literal["format", "check_digit", "all_zero"]) -> None:
        super().__init__(message)
        self.reason = reason


def normalize_brn(value: str) -> str:
    """Return the ten digits of a business registration number, dashes and spaces removed.

    The check digit is the National Tax Service's: the first nine digits weighted 1,3,7,1,3,7,1,3,5, plus the tens
    digit of 5 × the ninth; the tenth digit is (10 − sum mod 10) mod 10.

    Raises:
        InvalidBrn: not ten digits, the check digit does not match, or all ten are zero (a ``ValueError``, so a
            model field validated with it reports the message).
    """
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        msg = "a business registration number has 10 digits (e.g. 124-81-00998)"
        raise InvalidBrn(msg, "format")
    if digits == "0" * 10:
        msg = "000-00-00000 is not a business registration number: no business is given it"
        raise InvalidBrn(msg, "all_zero")
    numbers = [int(d) for d in digits]
    total = sum(n * w for n, w in zip(numbers[:9], _WEIGHTS, strict=True))
    total += (numbers[8] * 5) // 10
    if (10 - total % 10) % 10 != numbers[9]:
        msg = f"{format_brn(digits)} is not a valid business registration number: its check digit does not match"
        raise InvalidBrn(msg, "check_digit")
    return digits


def format_brn(digits: str) -> str:
    """Format ten digits as ``123-45-67890``."""
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"

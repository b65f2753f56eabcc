"""The Korean business registration number (사업자등록번호) and its check digit."""

from __future__ import annotations

__all__ = ["format_brn", "normalize_brn"]

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalize_brn(value: str) -> str:
    """Return the ten digits of a business registration number, dashes and spaces removed.

    Raises:
        ValueError: not ten digits, or the check digit does not match.
    """
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        msg = "a business registration number has 10 digits (e.g. 124-81-00998)"
        raise ValueError(msg)
    numbers = [int(d) for d in digits]
    total = sum(n * w for n, w in zip(numbers[:9], _WEIGHTS, strict=True))
    total += (numbers[8] * 5) // 10
    if (10 - total % 10) % 10 != numbers[9]:
        msg = f"{format_brn(digits)} is not a valid business registration number: its check digit does not match"
        raise ValueError(msg)
    return digits


def format_brn(digits: str) -> str:
    """Format ten digits as ``123-45-67890``."""
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"

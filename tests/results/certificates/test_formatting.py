"""Results are printed the way GUM asks: U to two significant digits, the value to the same place."""

from __future__ import annotations

from datetime import date

import pytest

from results.certificates.formatting import (
    format_coverage_factor,
    format_date,
    format_limits,
    format_result,
    printable,
)
from results.certificates.measurements import Measurement

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "uncertainty", "expected"),
    [
        (12.345678, 0.0234, ("12.346", "0.024")),
        (12.345678, 0.024, ("12.346", "0.024")),  # no float noise: 0.024 stays 0.024
        (889.123, 18.61, ("889", "19")),  # U is rounded up, never understated
        (1234.5, 150.0, ("1230", "150")),
        (-0.51234, 0.0012, ("-0.5123", "0.0012")),
        (3.0, 0.0, ("3.000000", "0.000000")),
        (0.125, 0.11, ("0.13", "0.11")),  # half-up, as a reader rounds by hand
        (2.345, 0.011, ("2.345", "0.011")),
        (0.0125, 0.0011, ("0.0125", "0.0011")),
    ],
)
def test_value_and_uncertainty_are_rounded_together(
    value: float, uncertainty: float, expected: tuple[str, str]
) -> None:
    assert format_result(Measurement("x", value, uncertainty, 2.0, "V")) == expected


@pytest.mark.parametrize(
    ("lower", "upper", "expected"),
    [(4.5, 5.5, "4.5 … 5.5"), (100.0, None, "≥ 100"), (None, 5.0, "≤ 5"), (None, None, "-")],
)
def test_specification_limits_read_naturally(lower: float | None, upper: float | None, expected: str) -> None:
    assert format_limits(Measurement("x", 1.0, 0.1, 2.0, "V", lower, upper)) == expected


def test_text_is_escaped_and_units_use_glyphs_the_font_has() -> None:
    assert printable("Kim & Lee <R&D>") == "Kim &amp; Lee &lt;R&amp;D&gt;"
    assert printable("5 \u00b5A, \u2212 3 \u2126") == "5 \u03bcA, - 3 \u03a9"


def test_dates_are_iso_8601() -> None:
    assert format_date(date(2025, 3, 4)) == "2025-03-04"


@pytest.mark.parametrize(("k", "printed"), [(2.0, "2.00"), (2.04923, "2.05"), (2.8695, "2.87"), (1.96, "1.96")])
def test_k_is_printed_with_two_decimals(k: float, printed: str) -> None:
    assert format_coverage_factor(k) == printed

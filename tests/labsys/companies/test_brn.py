"""The business registration number's check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labsys.companies.brn import InvalidBrn, format_brn, normalize_brn
from tests.factories import valid_brn

pytestmark = pytest.mark.unit

#: The textbook number in fullwidth digits, as some Korean input methods type them.
FULLWIDTH = "".join(chr(0xFF10 + int(d)) for d in "1248100998")


def test_the_textbook_number_is_valid_with_or_without_dashes() -> None:
    assert normalize_brn("124-81-00998") == "1248100998"
    assert normalize_brn("1248100998") == "1248100998"
    assert format_brn("1248100998") == "124-81-00998"


def test_a_wrong_check_digit_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="check digit") as refused:
        normalize_brn("124-81-00997")
    assert isinstance(refused.value, InvalidBrn)
    assert refused.value.reason == "check_digit"


@pytest.mark.parametrize("value", ["", "12481009", "12481009981", "12a8100998", FULLWIDTH])
def test_anything_but_ten_digits_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="10 digits") as refused:
        normalize_brn(value)
    assert isinstance(refused.value, InvalidBrn)
    assert refused.value.reason == "format"


@given(st.integers(min_value=0, max_value=10**6))
def test_exactly_one_check_digit_fits_every_nine_digit_head(serial: int) -> None:
    number = valid_brn(serial)
    assert normalize_brn(number) == number
    for wrong in {str(d) for d in range(10)} - {number[-1]}:
        with pytest.raises(ValueError, match="check digit"):
            normalize_brn(number[:-1] + wrong)


@pytest.mark.parametrize(
    "number",
    [
        "124-81-00998",  # the National Tax Service's own example
        "220-81-62517",  # published numbers of listed companies: a ninth digit whose 5× is under 10
        "120-81-47521",  # and one whose 5× is 10, so its tens digit counts
    ],
)
def test_published_numbers_pass_the_national_tax_services_check_digit(number: str) -> None:
    assert format_brn(normalize_brn(number)) == number


def test_the_tens_digit_of_five_times_the_ninth_digit_counts() -> None:
    # Without the carry the check digit of 120-81-4752? would be 2, not 1.
    with pytest.raises(InvalidBrn, match="check digit"):
        normalize_brn("120-81-47522")


@pytest.mark.parametrize("value", ["0000000000", "000-00-00000"])
def test_all_zero_is_refused_though_its_check_digit_matches(value: str) -> None:
    with pytest.raises(ValueError, match="no business") as refused:
        normalize_brn(value)
    assert isinstance(refused.value, InvalidBrn)
    assert refused.value.reason == "all_zero"

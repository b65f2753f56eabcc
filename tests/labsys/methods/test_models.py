"""A test method's own checks, before it reaches the catalog."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from labsys.methods.models import TestMethodCreate

pytestmark = pytest.mark.unit


def _method(code: str) -> TestMethodCreate:
    return TestMethodCreate(
        code=code, title="Title", standard="IEC 1", procedure="diode_iv", instrument_kinds=["smu"],
        duration_min=30, fee_krw=100_000,
    )  # fmt: skip


@pytest.mark.parametrize("code", ["diode-iv", "DIODE IV", "DIODE/IV", "-DIODE"])
def test_a_code_that_is_not_capitals_digits_and_dashes_is_refused(code: str) -> None:
    with pytest.raises(ValidationError, match="code"):
        _method(code)


def test_a_code_of_capitals_digits_and_dashes_is_taken() -> None:
    assert _method("RES-4W-TCR").code == "RES-4W-TCR"

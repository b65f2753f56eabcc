"""A test method's own checks, before it reaches the catalog."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from labsys.demo.methods import DEMO_METHODS
from labsys.methods.models import TestMethodCreate, TestMethodPublic

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


def _public(code: str, **changes: Any) -> TestMethodPublic:
    method = next(m for m in DEMO_METHODS if m.code == code)
    return TestMethodPublic.model_validate({**method.model_dump(), "id": 1, "active": True, **changes})


def test_the_demo_methods_uncertainties_are_fine_enough_for_their_limits() -> None:
    for method in DEMO_METHODS:
        assert _public(method.code).coarse_uncertainty == [], method.code


def test_a_validated_u_above_a_quarter_of_the_tolerance_is_flagged() -> None:
    # 995-1005 Ω is ± 5 Ω: a U of 1.5 Ω is 30 % of it (a test uncertainty ratio under 4:1); 1.25 Ω is exactly 25 %.
    coarse = [{"metric": "resistance_at_reference", "unit": "ohm", "expanded": 1.5, "k": 2.0}]
    borderline = [{"metric": "resistance_at_reference", "unit": "ohm", "expanded": 1.25, "k": 2.0}]
    relative = [{"metric": "resistance_at_reference", "unit": "ohm", "expanded": 0.0014, "k": 2.0, "relative": True}]
    finer = [{"metric": "resistance_at_reference", "unit": "ohm", "expanded": 0.0007, "k": 2.0, "relative": True}]

    assert _public("RES-4W-TCR", uncertainty=coarse).coarse_uncertainty == ["resistance_at_reference"]
    assert _public("RES-4W-TCR", uncertainty=borderline).coarse_uncertainty == []
    assert _public("RES-4W-TCR", uncertainty=relative).coarse_uncertainty == ["resistance_at_reference"]  # 1.4 Ω
    assert _public("RES-4W-TCR", uncertainty=finer).model_dump()["coarse_uncertainty"] == []  # 0.7 Ω


def test_a_one_sided_limit_has_no_tolerance_to_flag_against() -> None:
    huge = [{"metric": "rise_time", "unit": "s", "expanded": 1.0, "k": 2.0}]

    assert _public("STEP-RISE", uncertainty=huge).coarse_uncertainty == []

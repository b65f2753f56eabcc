"""A reported result refuses values no measurement could have."""

from __future__ import annotations

import pytest

from results.certificates.measurements import Measurement

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "uncertainty", "k", "message"),
    [
        (1.0, -0.1, 2.0, "must not be negative"),
        (1.0, 0.1, 0.0, "coverage factor"),
        (float("nan"), 0.1, 2.0, "finite"),
        (1.0, float("inf"), 2.0, "finite"),
    ],
)
def test_impossible_measurements_are_refused(value: float, uncertainty: float, k: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Measurement("Voltage", value, uncertainty, k, "V")

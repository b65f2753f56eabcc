"""Capacitor on an LCR meter: C and D per frequency recovered within U."""

from __future__ import annotations

import numpy as np
import pytest

from results.analysis.capacitor import capacitor_lcr, frequency_label
from results.analysis.model import Metric
from tests.results.analysis.coverage import covered_seeds

pytestmark = pytest.mark.unit

FREQUENCIES_HZ = (120.0, 1000.0, 100_000.0)
TRUE_C = {120.0: 100.4e-9, 1000.0: 100.0e-9, 100_000.0: 99.1e-9}
TRUE_D = {120.0: 0.0021, 1000.0: 0.0012, 100_000.0: 0.0043}
REPEATS = 5


def _readings(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    frequency = np.repeat(FREQUENCIES_HZ, REPEATS)
    c = np.array([TRUE_C[f] for f in frequency]) * (1 + rng.normal(0, 2e-4, frequency.size))
    d = np.array([TRUE_D[f] for f in frequency]) + rng.normal(0, 5e-5, frequency.size)
    return frequency, c, d


def test_each_frequency_gets_capacitance_and_dissipation_with_units() -> None:
    metrics = capacitor_lcr(*_readings(0))

    assert list(metrics) == [
        "capacitance_120Hz",
        "dissipation_factor_120Hz",
        "capacitance_1000Hz",
        "dissipation_factor_1000Hz",
        "capacitance_100000Hz",
        "dissipation_factor_100000Hz",
    ]
    assert metrics["capacitance_1000Hz"].units == "F"
    assert metrics["dissipation_factor_1000Hz"].units == "1"


def test_repeats_recover_c_and_d_within_u_for_at_least_18_of_20_seeds() -> None:
    truth = {f"capacitance_{frequency_label(f)}": c for f, c in TRUE_C.items()}
    truth |= {f"dissipation_factor_{frequency_label(f)}": d for f, d in TRUE_D.items()}

    def analyse(seed: int) -> dict[str, Metric]:
        return capacitor_lcr(*_readings(seed))

    hits = covered_seeds(analyse, truth)

    assert all(count >= 18 for count in hits.values()), hits


def test_five_repeats_alone_use_a_student_t_coverage_factor() -> None:
    metric = capacitor_lcr(*_readings(1))["capacitance_1000Hz"]

    assert metric.coverage_factor == pytest.approx(2.87, abs=0.01)  # t at 95.45 % with 4 degrees of freedom


def test_the_meter_accuracy_widens_u() -> None:
    readings = _readings(2)

    plain = capacitor_lcr(*readings)["capacitance_1000Hz"]
    with_meter = capacitor_lcr(*readings, capacitance_accuracy=5e-4)["capacitance_1000Hz"]

    assert with_meter.standard_uncertainty > plain.standard_uncertainty
    assert with_meter.standard_uncertainty >= 5e-4 * 100e-9 / np.sqrt(3)


def test_a_frequency_read_once_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2 readings"):
        capacitor_lcr([1000.0, 120.0, 120.0], [1e-7, 1e-7, 1e-7], [0.001, 0.001, 0.001])

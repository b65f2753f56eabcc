"""Diode I-V fit: Is, n and Rs recovered within their stated U from noisy synthetic sweeps."""

from __future__ import annotations

import numpy as np
import pytest

from results.analysis.diode import diode_current, diode_voltage, fit_diode_iv, thermal_voltage
from results.analysis.model import Metric
from tests.results.analysis.coverage import covered_seeds

pytestmark = pytest.mark.unit

TEMPERATURE_K = 300.0
TRUTH = {"saturation_current": 2.5e-9, "ideality_factor": 1.8, "series_resistance": 0.6}
VOLTAGE = np.linspace(0.05, 0.9, 120)
# A source-measure unit's current noise: 0.2 % of reading plus a 0.2 nA floor.
RELATIVE_NOISE, NOISE_FLOOR_A = 2e-3, 2e-10


def _noisy_sweep(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vt = thermal_voltage(TEMPERATURE_K)
    current = diode_current(
        VOLTAGE, TRUTH["saturation_current"], TRUTH["ideality_factor"], TRUTH["series_resistance"], vt
    )
    return current * (1 + RELATIVE_NOISE * rng.standard_normal(current.size)) + NOISE_FLOOR_A * rng.standard_normal(
        current.size
    )


def test_thermal_voltage_at_300_k_is_25_85_mv() -> None:
    assert thermal_voltage(300.0) == pytest.approx(0.025852, abs=1e-6)


def test_the_lambert_w_current_satisfies_the_implicit_diode_equation() -> None:
    vt = thermal_voltage(TEMPERATURE_K)
    voltage = np.linspace(0.0, 1.2, 50)

    current = diode_current(voltage, 1e-14, 1.05, 2.0, vt)

    np.testing.assert_allclose(diode_voltage(current, 1e-14, 1.05, 2.0, vt), voltage, atol=1e-9)
    assert np.all(np.isfinite(current))


def test_a_noiseless_sweep_is_fitted_exactly() -> None:
    vt = thermal_voltage(TEMPERATURE_K)
    current = diode_current(VOLTAGE, 2.5e-9, 1.8, 0.6, vt)

    metrics = fit_diode_iv(VOLTAGE, current, temperature_k=TEMPERATURE_K)

    assert metrics["saturation_current"].value == pytest.approx(2.5e-9, rel=1e-6)
    assert metrics["ideality_factor"].value == pytest.approx(1.8, rel=1e-6)
    assert metrics["series_resistance"].value == pytest.approx(0.6, rel=1e-5)


def test_noisy_sweeps_recover_is_n_and_rs_within_u_for_at_least_18_of_20_seeds() -> None:
    def analyse(seed: int) -> dict[str, Metric]:
        return fit_diode_iv(
            VOLTAGE, _noisy_sweep(seed), temperature_k=TEMPERATURE_K, current_noise=(RELATIVE_NOISE, NOISE_FLOOR_A)
        )

    hits = covered_seeds(analyse, TRUTH)

    assert all(count >= 18 for count in hits.values()), hits


def test_the_metrics_carry_units_and_a_coverage_factor_of_about_two() -> None:
    metrics = fit_diode_iv(VOLTAGE, _noisy_sweep(0), temperature_k=TEMPERATURE_K)

    assert {name: m.units for name, m in metrics.items()} == {
        "saturation_current": "A",
        "ideality_factor": "1",
        "series_resistance": "ohm",
    }
    assert all(1.95 < m.coverage_factor < 2.1 for m in metrics.values())


def test_a_temperature_uncertainty_widens_the_ideality_factor_uncertainty() -> None:
    sweep = _noisy_sweep(1)

    exact = fit_diode_iv(VOLTAGE, sweep, temperature_k=TEMPERATURE_K)["ideality_factor"]
    uncertain = fit_diode_iv(VOLTAGE, sweep, temperature_k=TEMPERATURE_K, temperature_uncertainty_k=1.0)[
        "ideality_factor"
    ]

    assert uncertain.value == exact.value
    assert uncertain.expanded_uncertainty > exact.expanded_uncertainty
    assert uncertain.standard_uncertainty >= exact.value / TEMPERATURE_K


def test_a_sweep_lost_in_the_noise_floor_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 5 points"):
        fit_diode_iv(VOLTAGE, np.full(VOLTAGE.size, 1e-12), min_current_a=1e-9)

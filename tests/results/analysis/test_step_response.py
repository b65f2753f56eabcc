"""Step response of an RC network: tau, rise time and overshoot recovered within U, by the full-resolution
analysis of a record in memory and by the chunked one that reads a record of any length."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from results.analysis.model import Metric
from results.analysis.step_record import step_response_of
from results.analysis.step_response import first_order_step, moving_average, step_response
from results.analysis.waveform import SampledArray
from tests.results.analysis.coverage import covered_seeds

pytestmark = pytest.mark.unit

TAU_S = 4.7e-4  # 4.7 kohm x 100 nF
TIME_S = -2e-4 + 1e-6 * np.arange(5000)  # a 5 ms record at 1 MS/s, step at t = 0
TRUTH = {"time_constant": TAU_S, "rise_time": TAU_S * math.log(9.0), "overshoot": 0.0, "step_amplitude": 2.0}


StepAnalysis = Callable[..., dict[str, Metric]]


def _chunked(time_s: np.ndarray, signal: np.ndarray, *, units: str = "V") -> dict[str, Metric]:
    """The chunked analysis, in chunks small enough that every search crosses chunk boundaries."""
    waveform = SampledArray(np.asarray(signal, dtype=np.float64), float(time_s[0]), float(time_s[1] - time_s[0]), units)
    return step_response_of(waveform, chunk_points=777)


ANALYSES = pytest.mark.parametrize("analyse", [step_response, _chunked], ids=["full_resolution", "chunked"])


def _record(seed: int, amplitude: float = 2.0) -> np.ndarray:
    clean = first_order_step(TIME_S, 0.3, amplitude, 0.0, TAU_S)
    return clean + np.random.default_rng(seed).normal(0.0, 0.02, TIME_S.size)


@ANALYSES
def test_a_noisy_rc_step_is_covered_by_its_u_for_at_least_18_of_20_seeds(analyse: StepAnalysis) -> None:
    hits = covered_seeds(lambda seed: analyse(TIME_S, _record(seed)), TRUTH)

    assert all(count >= 18 for count in hits.values()), hits


@ANALYSES
def test_the_metrics_carry_their_units(analyse: StepAnalysis) -> None:
    metrics = analyse(TIME_S, _record(3), units="V")

    assert {name: m.units for name, m in metrics.items()} == {
        "time_constant": "s",
        "rise_time": "s",
        "overshoot": "%",
        "step_amplitude": "V",
    }
    assert metrics["time_constant"].expanded_uncertainty < 0.02 * TAU_S


@ANALYSES
def test_a_falling_step_gives_a_positive_time_constant_and_negative_amplitude(analyse: StepAnalysis) -> None:
    metrics = analyse(TIME_S, _record(5, amplitude=-1.5))

    assert metrics["time_constant"].value == pytest.approx(TAU_S, rel=0.02)
    assert metrics["step_amplitude"].value == pytest.approx(-1.5, rel=0.01)


@ANALYSES
def test_a_ringing_overshoot_is_measured_in_percent_of_the_step(analyse: StepAnalysis) -> None:
    # An under-damped response peaking about 20 % above the final value.
    elapsed = np.maximum(TIME_S, 0.0)
    ringing = (
        1.0
        - np.exp(-elapsed / 2e-4) * np.cos(2 * np.pi * elapsed / 1.6e-3)
        + 0.2 * np.sin(np.pi * np.clip(elapsed / 8e-4, 0, 1)) * (elapsed < 8e-4)
    )
    peak_percent = (ringing.max() - 1.0) * 100

    overshoot = analyse(TIME_S, ringing + np.random.default_rng(0).normal(0, 0.002, TIME_S.size))["overshoot"]

    assert overshoot.value == pytest.approx(peak_percent, abs=overshoot.expanded_uncertainty + 1.0)
    assert overshoot.value > 10.0


@ANALYSES
def test_a_record_without_a_step_is_refused(analyse: StepAnalysis) -> None:
    with pytest.raises(ValueError, match="no step"):
        analyse(TIME_S, np.zeros(TIME_S.size))


@ANALYSES
def test_the_rise_time_is_measured_on_the_waveform_not_taken_from_the_model(analyse: StepAnalysis) -> None:
    # A linear ramp over 200 µs is not a first-order step: its 10-90 % transition lasts 160 µs, whatever tau fits.
    t = np.linspace(-2e-4, 8e-4, 100_001)
    ramp = np.clip(t / 2e-4, 0.0, 1.0)
    noise = np.random.default_rng(3).normal(0.0, 2e-4, t.size)

    metrics = analyse(t, ramp + noise)

    rise = metrics["rise_time"]
    assert abs(rise.value - 1.6e-4) <= rise.expanded_uncertainty
    assert rise.expanded_uncertainty < 0.02 * rise.value
    assert abs(metrics["time_constant"].value * math.log(9.0) - 1.6e-4) > 5 * rise.expanded_uncertainty


@pytest.mark.parametrize("window", [1, 2, 7, 100])
def test_the_moving_average_is_the_convolutions_in_linear_time(window: int) -> None:
    y = np.random.default_rng(window).normal(1.0, 0.01, 1000)

    expected = np.convolve(y, np.ones(window) / window, mode="valid") if window > 1 else y

    np.testing.assert_allclose(moving_average(y, window), expected, rtol=1e-12, atol=1e-12)

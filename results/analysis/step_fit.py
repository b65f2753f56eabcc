"""The first-order step model fitted to bin means: each bin's model value is the exact mean of the model over the
bin's samples, so the fit has the expectation of a fit on every sample however short tau is against a bin.

For the samples of a bin after the step, the model's exponential is a geometric series: the ``q`` samples from
``u`` after ``t_step`` sum to ``exp(-u / tau) * expm1(-q x) / expm1(-x)`` with ``x = dt / tau``; samples at or
before ``t_step`` contribute the baseline. Its derivatives are as exact, so the covariance (type A) is the
one a fit on every sample would give, less the information inside a bin (none when ``size`` is 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from results.analysis.step_passes import Bins
from results.analysis.step_response import initial_guess

__all__ = ["StepFit", "fit_bins"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class _Series:
    """Per bin: samples at or before the step, and the geometric series of the samples after it."""

    before: FloatArray  # samples at or before t_step
    decay: FloatArray  # exp(-u / tau): the first sample after the step
    sum: FloatArray  # sum of exp(-elapsed / tau) over the samples after the step
    sum_squares: FloatArray  # sum of exp(-2 elapsed / tau) over them
    elapsed: FloatArray  # u: time of the first sample after the step, from t_step
    weighted: FloatArray  # sum of i * exp(-i dt / tau), i counting the samples after the step from 0


def _series(bins: Bins, t0: float, dt: float, t_step: float, tau: float) -> _Series:
    first_time = t0 + dt * bins.first
    before = np.clip(np.floor((t_step - first_time) / dt) + 1.0, 0.0, bins.count)
    after = bins.count - before
    elapsed = np.maximum(first_time + before * dt - t_step, 0.0)  # bins wholly before the step: no series
    x = dt / tau
    decay = np.exp(-elapsed / tau)
    geometric = np.expm1(-after * x) / math.expm1(-x)
    ratio = math.exp(-x)
    # sum of i r^i for i < q: (G - 1 - (q - 1) r^q) / (1 - r), and 0 for an empty series.
    weighted = np.where(after > 0, (geometric - 1.0 - (after - 1.0) * ratio**after) / -math.expm1(-x), 0.0)
    squares = np.expm1(-2.0 * after * x) / math.expm1(-2.0 * x)
    return _Series(before, decay, decay * geometric, decay**2 * squares, elapsed, weighted)


@dataclass(frozen=True)
class StepFit:
    """The fitted model, its covariance and the residual noise.

    Attributes:
        params: baseline (units), amplitude (units), t_step (s), tau (s).
        covariance: Their covariance (type A: from the residual noise).
        noise: Standard deviation of one sample about the model, in the waveform's units.
    """

    params: FloatArray
    covariance: FloatArray
    noise: float


class _BinnedStep:
    """The model's mean over each bin, and its derivatives, for :func:`scipy.optimize.curve_fit`."""

    def __init__(self, bins: Bins, t0: float, dt: float) -> None:
        self.bins, self.t0, self.dt = bins, t0, dt

    def mean_decay(self, t_step: float, tau: float) -> FloatArray:
        series = _series(self.bins, self.t0, self.dt, t_step, tau)
        mean: FloatArray = (series.before + series.sum) / self.bins.count
        return mean

    def model(self, _: FloatArray, baseline: float, amplitude: float, t_step: float, tau: float) -> FloatArray:
        return baseline + amplitude * (1.0 - self.mean_decay(t_step, tau))

    def jacobian(self, _: FloatArray, baseline: float, amplitude: float, t_step: float, tau: float) -> FloatArray:
        del baseline  # the model is linear in it
        s = _series(self.bins, self.t0, self.dt, t_step, tau)
        count = self.bins.count
        by_t_step = -amplitude * s.sum / (tau * count)
        by_tau = -amplitude * (s.elapsed * s.sum + self.dt * s.decay * s.weighted) / (tau**2 * count)
        return np.column_stack([np.ones_like(count), 1.0 - (s.before + s.sum) / count, by_t_step, by_tau])

    def spread(self, amplitude: float, t_step: float, tau: float) -> float:
        """Sum over every sample of the model's squared deviation from its bin's mean: the part of the samples'
        spread about their bin means that is the signal, not noise."""
        s = _series(self.bins, self.t0, self.dt, t_step, tau)
        count = self.bins.count
        squares = s.before + s.sum_squares - (s.before + s.sum) ** 2 / count
        return float(amplitude**2 * np.sum(np.maximum(squares, 0.0)))


def fit_bins(bins: Bins, t0: float, dt: float) -> StepFit:
    """Least-squares fit of the first-order step to the bins (weights: their counts), with the covariance the
    per-sample noise gives.

    Raises:
        ValueError: If the bins show no step, or the fit does not converge.
    """
    from scipy.optimize import curve_fit  # noqa: PLC0415 - loaded when an analysis runs: see the package

    binned = _BinnedStep(bins, t0, dt)
    index = np.arange(bins.mean.size, dtype=np.float64)
    try:
        params, unit_covariance = curve_fit(
            binned.model,
            index,
            bins.mean,
            p0=initial_guess(bins.time, bins.mean),
            sigma=1.0 / np.sqrt(bins.count),
            absolute_sigma=True,
            jac=binned.jacobian,
            maxfev=10000,
        )
    except RuntimeError as error:
        raise ValueError(f"the step response fit did not converge: {error}") from error
    params = np.asarray(params, dtype=np.float64)
    residuals = bins.mean - binned.model(index, *params)
    # Each sample's squared residual: its deviation from its bin's mean (less the model's own, which is signal)
    # plus its bin mean's from the model.
    noise_in_bins = max(bins.spread - binned.spread(*params[1:]), 0.0)
    noise = math.sqrt((noise_in_bins + float(np.sum(bins.count * residuals**2))) / (bins.samples - 4))
    return StepFit(params, np.asarray(unit_covariance, dtype=np.float64) * noise**2, noise)

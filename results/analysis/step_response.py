"""Step response of a first-order (RC) system: time constant, 10-90 % rise time and overshoot.

The model is a baseline until the step at ``t_step``, then an exponential approach to the final value:

    y(t) = baseline                                             for t < t_step
    y(t) = baseline + amplitude * (1 - exp(-(t - t_step) / tau))  for t >= t_step

fitted by least squares (baseline, amplitude, t_step, tau), with uncertainties from the covariance scaled by
the residuals. The 10-90 % rise time of this model is tau * ln 9. The overshoot is read from the data: the
peak of a moving average (window tau/10) beyond the fitted final value, in % of the amplitude; because the
peak of noisy data is biased upwards, the expected noise excursion at the peak is counted as a standard
uncertainty, so a clean RC step (true overshoot 0 %) is covered by its U.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from results.analysis.model import Metric
from results.analysis.uncertainty import coverage_factor, fit_standard_uncertainties

__all__ = ["first_order_step", "step_response"]

FloatArray = npt.NDArray[np.float64]
_LN9 = math.log(9.0)


def first_order_step(t: FloatArray, baseline: float, amplitude: float, t_step: float, tau: float) -> FloatArray:
    """First-order step response at times ``t`` (same units as ``t_step`` and ``tau``)."""
    elapsed = np.maximum(np.asarray(t, dtype=np.float64) - t_step, 0.0)
    return baseline + amplitude * -np.expm1(-elapsed / tau)


def _moving_average(y: FloatArray, window: int) -> FloatArray:
    return np.convolve(y, np.ones(window) / window, mode="valid") if window > 1 else y


def _initial_guess(t: FloatArray, y: FloatArray) -> tuple[float, float, float, float]:
    edge = max(3, y.size // 20)
    baseline, final = float(np.median(y[:edge])), float(np.median(y[-edge:]))
    amplitude = final - baseline
    if amplitude == 0.0:
        raise ValueError("the waveform shows no step (first and last 5 % have the same level)")
    rising = (y - baseline) / amplitude
    window = max(1, y.size // 200)
    smooth = _moving_average(rising, window)
    centre = t[window // 2 : window // 2 + smooth.size]
    t10 = float(centre[np.argmax(smooth >= 0.1)])
    t63 = float(centre[np.argmax(smooth >= 1.0 - math.exp(-1.0))])
    tau = max((t63 - t10) / (1.0 + math.log(0.9)), float(t[1] - t[0]))
    return baseline, amplitude, t63 - tau, tau


def _overshoot(t: FloatArray, y: FloatArray, params: FloatArray, u_final: float, noise: float) -> tuple[float, float]:
    baseline, amplitude, t_step, tau = (float(p) for p in params)
    dt = float(t[1] - t[0])
    window = max(1, round(tau / dt / 10.0))
    after = y[t >= t_step]
    smooth = _moving_average(after, window) if after.size >= window else after
    sign = math.copysign(1.0, amplitude)
    excess = sign * (float(smooth.max() if sign > 0 else smooth.min()) - (baseline + amplitude))
    percent = 100.0 / abs(amplitude)
    averaged_noise = noise / math.sqrt(window)
    # Expected largest excursion of averaged noise over the independent windows after the step.
    peak_bias = averaged_noise * math.sqrt(2.0 * math.log(max(smooth.size / window, 2.0)))
    u = math.sqrt(u_final**2 + averaged_noise**2 + peak_bias**2)
    return max(excess, 0.0) * percent, u * percent


def step_response(time_s: npt.ArrayLike, signal: npt.ArrayLike, *, units: str = "V") -> dict[str, Metric]:
    """Fit a first-order step response and report tau, rise time and overshoot.

    Args:
        time_s: Sample times in s, equally spaced and ascending (e.g. ``t0 + i * dt`` of a waveform).
        signal: Sampled response in ``units``; a rising or falling step, with baseline and noise. The first
            and last 5 % of the record must show the levels before and after the step.
        units: Units of ``signal`` (for the amplitude).

    Returns:
        ``time_constant`` (s), ``rise_time`` (s, 10-90 %), ``overshoot`` (%), ``step_amplitude`` (units).

    Raises:
        ValueError: If the record is too short, shows no step, or the fit does not converge.
    """
    t = np.asarray(time_s, dtype=np.float64)
    y = np.asarray(signal, dtype=np.float64)
    if t.size < 20 or t.size != y.size:
        raise ValueError("a step response needs at least 20 paired samples")
    from scipy.optimize import curve_fit  # noqa: PLC0415 - loaded when an analysis runs: see the package

    try:
        params, covariance = curve_fit(first_order_step, t, y, p0=_initial_guess(t, y), maxfev=10000)
    except RuntimeError as error:
        raise ValueError(f"the step response fit did not converge: {error}") from error
    params = np.asarray(params, dtype=np.float64)
    u = fit_standard_uncertainties(np.asarray(covariance, dtype=np.float64))
    tau, u_tau = abs(float(params[3])), float(u[3])
    noise = float(np.std(y - first_order_step(t, *params), ddof=4))
    u_final = math.sqrt(max(covariance[0, 0] + covariance[1, 1] + 2.0 * covariance[0, 1], 0.0))
    overshoot, u_overshoot = _overshoot(t, y, params, u_final, noise)
    k = coverage_factor(t.size - 4)
    return {
        "time_constant": Metric.from_standard_uncertainty("time_constant", tau, u_tau, "s", coverage_factor=k),
        "rise_time": Metric.from_standard_uncertainty("rise_time", tau * _LN9, u_tau * _LN9, "s", coverage_factor=k),
        "overshoot": Metric.from_standard_uncertainty("overshoot", overshoot, u_overshoot, "%", coverage_factor=k),
        "step_amplitude": Metric.from_standard_uncertainty(
            "step_amplitude", float(params[1]), float(u[1]), units, coverage_factor=k
        ),
    }

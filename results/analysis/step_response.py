"""Step response of a first-order (RC) system: time constant, 10-90 % rise time and overshoot.

The model is a baseline until the step at ``t_step``, then an exponential approach to the final value:

    y(t) = baseline                                             for t < t_step
    y(t) = baseline + amplitude * (1 - exp(-(t - t_step) / tau))  for t >= t_step

fitted by least squares (baseline, amplitude, t_step, tau), with uncertainties from the covariance scaled by
the residuals. The 10-90 % rise time is measured on the waveform as IEC 60469:2013 defines the transition
duration: the times the signal crosses the 10 % and 90 % reference levels between its two state levels (the
medians of the record's first and last 5 %, read from the waveform; the fitted level where the record ends
before the step has settled), each
interpolated between samples of the signal averaged over tau/10 (a centred window that moves both crossings of
an exponential alike, so their difference is unbiased). Its uncertainty combines, per crossing, the averaged
noise and the state levels' uncertainty divided by the signal's slope there, and the sampling interval. For an
RC step it equals tau * ln 9. The overshoot is read from the data: the
peak of a moving average (window tau/10) beyond the fitted final value, in % of the amplitude; because the
peak of noisy data is biased upwards, the expected noise excursion at the peak is counted as a standard
uncertainty, so a clean RC step (true overshoot 0 %) is covered by its U.

:func:`step_response` is the definition at full resolution, on a record held in memory. A station analyses a
run's records with :func:`results.analysis.step_record.step_response_of`, which computes the same metrics chunk
by chunk from the run file, in memory that does not grow with the record.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from results.analysis.model import Metric
from results.analysis.uncertainty import coverage_factor, fit_standard_uncertainties

__all__ = [
    "crossing_uncertainty",
    "first_order_step",
    "first_order_step_jacobian",
    "initial_guess",
    "moving_average",
    "overshoot_uncertainty",
    "step_response",
    "transition_duration",
]

FloatArray = npt.NDArray[np.float64]


def first_order_step(t: FloatArray, baseline: float, amplitude: float, t_step: float, tau: float) -> FloatArray:
    """First-order step response at times ``t`` (same units as ``t_step`` and ``tau``)."""
    elapsed = np.maximum(np.asarray(t, dtype=np.float64) - t_step, 0.0)
    return baseline + amplitude * -np.expm1(-elapsed / tau)


def first_order_step_jacobian(
    t: FloatArray, baseline: float, amplitude: float, t_step: float, tau: float
) -> FloatArray:
    """Derivatives of :func:`first_order_step` by baseline, amplitude, t_step and tau, one row per time.

    Exact: differences taken by the optimiser misjudge a parameter near zero (a baseline at 0 V), which stopped
    the fit short of its minimum and misstated the uncertainties.
    """
    del baseline  # the model is linear in it
    elapsed = np.maximum(np.asarray(t, dtype=np.float64) - t_step, 0.0)
    decay = np.exp(-elapsed / tau)
    after = decay * (elapsed > 0.0)
    return np.column_stack(
        [np.ones_like(elapsed), 1.0 - decay, -amplitude / tau * after, -amplitude * elapsed / tau**2 * after]
    )


def moving_average(y: FloatArray, window: int) -> FloatArray:
    """The mean of every ``window`` consecutive samples (``np.convolve(..., "valid")``), in time linear in the
    record whatever the window: from running sums, not a convolution whose cost grows with the window."""
    if window <= 1:
        return y
    sums: FloatArray = np.cumsum(np.concatenate(([0.0], np.asarray(y, dtype=np.float64))))
    averaged: FloatArray = (sums[window:] - sums[:-window]) / window
    return averaged


def initial_guess(t: FloatArray, y: FloatArray) -> tuple[float, float, float, float]:
    """Start values (baseline, amplitude, t_step, tau) of the fit, read off the record's ends and its 10 % and
    63 % crossings.

    Raises:
        ValueError: If the first and last 5 % have the same level (no step).
    """
    edge = max(3, y.size // 20)
    baseline, final = float(np.median(y[:edge])), float(np.median(y[-edge:]))
    amplitude = final - baseline
    if amplitude == 0.0:
        raise ValueError("the waveform shows no step (first and last 5 % have the same level)")
    rising = (y - baseline) / amplitude
    window = max(1, y.size // 200)
    smooth = moving_average(rising, window)
    centre = t[window // 2 : window // 2 + smooth.size]
    t10 = float(centre[np.argmax(smooth >= 0.1)])
    t63 = float(centre[np.argmax(smooth >= 1.0 - math.exp(-1.0))])
    tau = max((t63 - t10) / (1.0 + math.log(0.9)), float(t[1] - t[0]))
    return baseline, amplitude, t63 - tau, tau


def _crossing(t: FloatArray, y: FloatArray, level: float, sign: float) -> float:
    """The first time ``y`` reaches ``level`` going the step's way, interpolated between the two samples."""
    beyond = sign * (y - level) >= 0.0
    index = int(np.argmax(beyond))
    if not beyond[index]:
        raise ValueError(f"the signal never reaches the reference level {level:g}")
    if index == 0:
        return float(t[0])
    y0, y1 = float(y[index - 1]), float(y[index])
    fraction = (level - y0) / (y1 - y0) if y1 != y0 else 0.0
    return float(t[index - 1] + fraction * (t[index] - t[index - 1]))


def transition_duration(t: FloatArray, y: FloatArray, params: FloatArray, noise: float) -> tuple[float, float]:
    """The 10-90 % transition duration measured on the waveform (IEC 60469) and its standard uncertainty."""
    fitted_baseline, fitted_amplitude, t_step, tau = (float(p) for p in params)
    dt = float(t[1] - t[0])
    edge = max(3, y.size // 20)
    before, settled = y[:edge], y[-edge:]
    # A state level is read from the waveform where the record shows it; a tail the step has not yet settled in
    # (more than 0.01 % of the step still to go, by the fit) would understate it: the fitted level is used there.
    baseline = float(np.median(before)) if t[edge - 1] < t_step else fitted_baseline
    still_to_go = math.exp(-max(float(t[-edge]) - t_step, 0.0) / abs(tau))
    final = float(np.median(settled)) if still_to_go < 1e-4 else fitted_baseline + fitted_amplitude
    amplitude = final - baseline
    # The standard uncertainty of a median is about sqrt(pi / 2) times that of a mean.
    u_levels = noise * math.sqrt(math.pi / 2.0) * math.hypot(before.size**-0.5, settled.size**-0.5)
    window = max(1, round(abs(tau) / dt / 10.0))
    smooth = moving_average(y, window)
    centre = t[window // 2 : window // 2 + smooth.size]
    sign = math.copysign(1.0, amplitude)
    t10 = _crossing(centre, smooth, baseline + 0.1 * amplitude, sign)
    t90 = _crossing(centre, smooth, baseline + 0.9 * amplitude, sign)
    u = crossing_uncertainty(amplitude, tau, noise=noise, window=window, u_levels=u_levels)
    return t90 - t10, math.sqrt(u**2 + 2.0 * dt**2 / 12.0)


def crossing_uncertainty(amplitude: float, tau: float, *, noise: float, window: int, u_levels: float) -> float:
    """Standard uncertainty of a 10-90 % transition duration from the two crossings' timing (sampling aside).

    At each crossing, the averaged noise and the state levels' uncertainty, divided by the step's slope there:
    ``|A| (1 - L) / tau`` for an exponential approach to level ``L``.
    """
    slopes = (abs(amplitude) * 0.9 / abs(tau), abs(amplitude) * 0.1 / abs(tau))
    level_noise = math.hypot(noise / math.sqrt(window), u_levels)
    return math.sqrt(sum((level_noise / slope) ** 2 for slope in slopes))


def overshoot_uncertainty(*, u_final: float, noise: float, window: int, searched: int) -> float:
    """Standard uncertainty of a peak read from a moving average of ``window`` samples over ``searched``
    positions, in the signal's units: the final level's, the averaged noise's, and the expected largest
    excursion of averaged noise over the independent windows searched (the bias of a noisy peak)."""
    averaged_noise = noise / math.sqrt(window)
    peak_bias = averaged_noise * math.sqrt(2.0 * math.log(max(searched / window, 2.0)))
    return math.sqrt(u_final**2 + averaged_noise**2 + peak_bias**2)


def _overshoot(t: FloatArray, y: FloatArray, params: FloatArray, u_final: float, noise: float) -> tuple[float, float]:
    baseline, amplitude, t_step, tau = (float(p) for p in params)
    dt = float(t[1] - t[0])
    window = max(1, round(tau / dt / 10.0))
    after = y[t >= t_step]
    smooth = moving_average(after, window) if after.size >= window else after
    sign = math.copysign(1.0, amplitude)
    excess = sign * (float(smooth.max() if sign > 0 else smooth.min()) - (baseline + amplitude))
    percent = 100.0 / abs(amplitude)
    u = overshoot_uncertainty(u_final=u_final, noise=noise, window=window, searched=smooth.size)
    return max(excess, 0.0) * percent, u * percent


def step_response(time_s: npt.ArrayLike, signal: npt.ArrayLike, *, units: str = "V") -> dict[str, Metric]:
    """Fit a first-order step response and report tau, rise time and overshoot.

    Args:
        time_s: Sample times in s, equally spaced and ascending (e.g. ``t0 + i * dt`` of a waveform).
        signal: Sampled response in ``units``; a rising or falling step, with baseline and noise. The first
            and last 5 % of the record must show the levels before and after the step.
        units: Units of ``signal`` (for the amplitude).

    Returns:
        ``time_constant`` (s), ``rise_time`` (s, 10-90 % measured on the waveform), ``overshoot`` (%),
        ``step_amplitude`` (units).

    Raises:
        ValueError: If the record is too short, shows no step, or the fit does not converge.
    """
    t = np.asarray(time_s, dtype=np.float64)
    y = np.asarray(signal, dtype=np.float64)
    if t.size < 20 or t.size != y.size:
        raise ValueError("a step response needs at least 20 paired samples")
    from scipy.optimize import curve_fit  # noqa: PLC0415 - loaded when an analysis runs: see the package

    try:
        params, covariance = curve_fit(
            first_order_step, t, y, p0=initial_guess(t, y), jac=first_order_step_jacobian, maxfev=10000
        )
    except RuntimeError as error:
        raise ValueError(f"the step response fit did not converge: {error}") from error
    params = np.asarray(params, dtype=np.float64)
    u = fit_standard_uncertainties(np.asarray(covariance, dtype=np.float64))
    tau, u_tau = abs(float(params[3])), float(u[3])
    noise = float(np.std(y - first_order_step(t, *params), ddof=4))
    u_final = math.sqrt(max(covariance[0, 0] + covariance[1, 1] + 2.0 * covariance[0, 1], 0.0))
    overshoot, u_overshoot = _overshoot(t, y, params, u_final, noise)
    rise, u_rise = transition_duration(t, y, params, noise)
    k = coverage_factor(t.size - 4)
    return {
        "time_constant": Metric.from_standard_uncertainty("time_constant", tau, u_tau, "s", coverage_factor=k),
        "rise_time": Metric.from_standard_uncertainty("rise_time", rise, u_rise, "s", coverage_factor=k),
        "overshoot": Metric.from_standard_uncertainty("overshoot", overshoot, u_overshoot, "%", coverage_factor=k),
        "step_amplitude": Metric.from_standard_uncertainty(
            "step_amplitude", float(params[1]), float(u[1]), units, coverage_factor=k
        ),
    }

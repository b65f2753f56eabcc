"""Step response of a waveform read chunk by chunk: the metrics of :func:`step_response` in bounded memory.

A record of millions of samples (a scope's 4 M points, averaged over up to a hundred acquisitions) is never held
whole. Pass 1 reduces it to at most :data:`~results.analysis.step_passes.MAX_BINS` bin means; the first-order
model is fitted to them with weights equal to their counts, which has the minimum of the fit on every sample
(the model is evaluated at each bin's mean time: its curvature across a bin is far below the noise). The residual
noise is the per-sample one: the samples' spread about their bin means plus the bins' weighted residuals. The
state levels are the medians of the bins of the record's first and last 5 %. Pass 2 reads only what needs full
resolution: the moving average of tau/10 around the 10 % and 90 % crossings, and after the step for the
overshoot. Time is linear in the record's length, memory a few chunks; a record of at most ``MAX_BINS`` samples
is fitted sample by sample, as :func:`step_response` fits it.

The uncertainties are the analysis's own, type A, each a contribution of the metric's budget (the sampling
interval of the rise time is type B); the instruments' contributions are added to these budgets elsewhere.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from results.analysis.budget import Contribution
from results.analysis.model import Metric
from results.analysis.step_fit import StepFit, fit_bins
from results.analysis.step_passes import Bins, Crossing, bin_means, first_crossing, moving_averages
from results.analysis.step_response import crossing_uncertainty, overshoot_uncertainty
from results.analysis.uncertainty import fit_standard_uncertainties
from results.analysis.waveform import CHUNK_POINTS, ChunkCache, Waveform

__all__ = ["FIT_SOURCE", "step_response_of"]

FloatArray = npt.NDArray[np.float64]

#: Budget lines of the analysis's own (type A) uncertainties.
FIT_SOURCE = "first-order fit of the averaged waveform"
CROSSINGS_SOURCE = "10 % and 90 % crossings: averaged noise and state levels"
SAMPLING_SOURCE = "sample interval at the two crossings"
PEAK_SOURCE = "peak of the averaged waveform: noise, peak bias and final level"


def _state_levels(waveform: Waveform, bins: Bins, fit: StepFit) -> tuple[float, float, float]:
    """The levels before and after the step (medians of the bins of the first and last 5 %, or the fitted level
    where the record does not show it settled) and their combined standard uncertainty."""
    fitted_baseline, fitted_amplitude, t_step, tau = (float(p) for p in fit.params)
    edge = max(1, max(3, waveform.length // 20) // bins.size)
    before, settled = int(bins.count[:edge].sum()), int(bins.count[-edge:].sum())
    last_before = waveform.t0 + waveform.dt * float(before - 1)
    first_settled = waveform.t0 + waveform.dt * float(waveform.length - settled)
    baseline = float(np.median(bins.mean[:edge])) if last_before < t_step else fitted_baseline
    still_to_go = math.exp(-max(first_settled - t_step, 0.0) / abs(tau))
    final = float(np.median(bins.mean[-edge:])) if still_to_go < 1e-4 else fitted_baseline + fitted_amplitude
    # The standard uncertainty of a median is about sqrt(pi / 2) times that of a mean.
    u_levels = fit.noise * math.sqrt(math.pi / 2.0) * math.hypot(before**-0.5, settled**-0.5)
    return baseline, final, u_levels


def _coarse_start(bins: Bins, window: int, level: float, sign: float) -> int:
    """The first sample of the bin where the bins' own moving average (about ``window`` samples) reaches the
    level, less a few bins; 0 if it never does (the search then starts at the record's start)."""
    span = max(1, round(window / bins.size))
    sums = np.concatenate(([0.0], np.cumsum(bins.mean * bins.count)))
    counts = np.concatenate(([0.0], np.cumsum(bins.count)))
    coarse = (sums[span:] - sums[:-span]) / (counts[span:] - counts[:-span])
    beyond = sign * (coarse - level) >= 0.0
    if not beyond.any():
        return 0
    return max(0, (int(np.argmax(beyond)) - 4) * bins.size)


def _crossing(cache: ChunkCache, bins: Bins, window: int, level: float, sign: float) -> float:
    """The time the full-resolution moving average first reaches ``level``, searched from where the bins say it
    does, and further back while the average is past the level where the search began."""
    start = _coarse_start(bins, window, level, sign)
    while True:
        crossing: Crossing | None = first_crossing(cache, window, level, sign, start)
        if crossing is None:
            raise ValueError(f"the signal never reaches the reference level {level:g}")
        if crossing.position > start or start == 0:
            return crossing.time
        start = max(0, start - 4 * bins.size - 2 * window)


def _rise_time(waveform: Waveform, cache: ChunkCache, bins: Bins, fit: StepFit) -> tuple[float, float]:
    tau = float(fit.params[3])
    baseline, final, u_levels = _state_levels(waveform, bins, fit)
    amplitude = final - baseline
    window = max(1, round(abs(tau) / waveform.dt / 10.0))
    sign = math.copysign(1.0, amplitude)
    t10 = _crossing(cache, bins, window, baseline + 0.1 * amplitude, sign)
    t90 = _crossing(cache, bins, window, baseline + 0.9 * amplitude, sign)
    return t90 - t10, crossing_uncertainty(amplitude, tau, noise=fit.noise, window=window, u_levels=u_levels)


def _first_after(waveform: Waveform, moment: float) -> int:
    """The first sample whose time ``t0 + i * dt`` is at or after ``moment``."""
    index = max(0, math.ceil((moment - waveform.t0) / waveform.dt))
    while index > 0 and waveform.t0 + waveform.dt * float(index - 1) >= moment:
        index -= 1
    while index < waveform.length and waveform.t0 + waveform.dt * float(index) < moment:
        index += 1
    return index


def _overshoot(waveform: Waveform, cache: ChunkCache, fit: StepFit) -> tuple[float, float]:
    baseline, amplitude, t_step, tau = (float(p) for p in fit.params)
    window = max(1, round(tau / waveform.dt / 10.0))
    start = _first_after(waveform, t_step)
    # Too few samples after the step to average over the window: the peak is read from the samples themselves.
    averaged = window if waveform.length - start >= window else 1
    sign = math.copysign(1.0, amplitude)
    peak, searched = -math.inf, 0
    for _, means in moving_averages(cache, averaged, start):
        peak = max(peak, float(np.max(sign * means)))
        searched += means.size
    if searched == 0:
        raise ValueError("the record ends before the step")
    covariance = fit.covariance
    u_final = math.sqrt(max(covariance[0, 0] + covariance[1, 1] + 2.0 * covariance[0, 1], 0.0))
    percent = 100.0 / abs(amplitude)
    u = overshoot_uncertainty(u_final=u_final, noise=fit.noise, window=window, searched=searched)
    return max(peak - sign * (baseline + amplitude), 0.0) * percent, u * percent


def step_response_of(waveform: Waveform, *, chunk_points: int = CHUNK_POINTS) -> dict[str, Metric]:
    """Fit a first-order step response to a waveform read chunk by chunk; report tau, rise time and overshoot.

    Args:
        waveform: The sampled response (e.g. the mean of a run's records); a rising or falling step whose
            first and last 5 % show the levels before and after it.
        chunk_points: Samples read at a time.

    Returns:
        ``time_constant`` (s), ``rise_time`` (s, 10-90 % measured on the waveform, IEC 60469), ``overshoot``
        (%), ``step_amplitude`` (the waveform's units); each with its budget of the analysis's own
        contributions (:data:`FIT_SOURCE`, ...).

    Raises:
        ValueError: If the record is too short, shows no step, or the fit does not converge.
    """
    n = waveform.length
    if n < 20:
        raise ValueError("a step response needs at least 20 samples")
    bins = bin_means(waveform, chunk_points=chunk_points)
    fit = fit_bins(bins, waveform.t0, waveform.dt)
    cache = ChunkCache(waveform, chunk_points)
    rise, u_rise = _rise_time(waveform, cache, bins, fit)
    overshoot, u_overshoot = _overshoot(waveform, cache, fit)
    u = fit_standard_uncertainties(fit.covariance)
    dof = float(n - 4)

    def own(name: str, value: float, source: str, standard: float, units: str) -> Metric:
        return Metric.from_budget(name, value, [Contribution.type_a(source, standard, dof)], units)

    rise_budget = [
        Contribution.type_a(CROSSINGS_SOURCE, u_rise, dof),
        Contribution.rectangular(SAMPLING_SOURCE, waveform.dt / math.sqrt(2.0)),
    ]
    return {
        "time_constant": own("time_constant", abs(float(fit.params[3])), FIT_SOURCE, float(u[3]), "s"),
        "rise_time": Metric.from_budget("rise_time", rise, rise_budget, "s"),
        "overshoot": own("overshoot", overshoot, PEAK_SOURCE, u_overshoot, "%"),
        "step_amplitude": own("step_amplitude", float(fit.params[1]), FIT_SOURCE, float(u[1]), waveform.units),
    }

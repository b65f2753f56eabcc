"""Diode forward I-V: saturation current, ideality factor and series resistance of the Shockley diode.

The model is the Shockley diode with a series resistance, I = Is * (exp((V - I*Rs) / (n*Vt)) - 1), with the
thermal voltage Vt = k*T/q. It is implicit in I but explicit in V:

    V(I) = n * Vt * ln(I / Is + 1) + I * Rs

so the fit is a least-squares fit of the measured voltage against the measured current (robust, no root
finding); ln(Is) is fitted instead of Is because Is spans decades. The closed form I(V) with the Lambert W
function is :func:`diode_current` (for synthetic data and residual plots).

Uncertainties come from the fit covariance scaled by the residual variance (the data's own scatter), with an
optional type B uncertainty of the temperature added to n (n*Vt is what the fit sees). k from the fit's
degrees of freedom (about 2).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from results.analysis.model import Metric
from results.analysis.uncertainty import coverage_factor, fit_standard_uncertainties

__all__ = [
    "COMPLIANCE_MARGIN",
    "CURRENT_FLOOR_A",
    "diode_current",
    "diode_voltage",
    "fit_diode_iv",
    "saturation_current_at",
    "thermal_voltage",
]

#: A reading within this fraction of the current limit may be the SMU's clamp, not the diode: it is not fitted.
COMPLIANCE_MARGIN = 0.98
#: Currents below this are not fitted: a source-measure unit's offset on its lowest ranges dominates them.
CURRENT_FLOOR_A = 1e-8

FloatArray = npt.NDArray[np.float64]

#: Boltzmann constant k in J/K and elementary charge q in C: exact since the 2019 SI, as scipy.constants has them.
BOLTZMANN_J_PER_K = 1.380649e-23
ELEMENTARY_CHARGE_C = 1.602176634e-19


def thermal_voltage(temperature_k: float) -> float:
    """Thermal voltage k*T/q in V at ``temperature_k`` (K); 25.85 mV at 300 K."""
    return float(BOLTZMANN_J_PER_K * temperature_k / ELEMENTARY_CHARGE_C)


def saturation_current_at(
    saturation_current_a: float,
    ideality: float,
    from_k: float,
    to_k: float,
    *,
    bandgap_ev: float = 1.12,
    xti: float = 3.0,
) -> float:
    """Is at ``to_k`` from Is at ``from_k`` (K), as SPICE scales it: (T2/T1)^(XTI/n) * exp(Eg/(n Vt2) * (T2/T1 - 1))."""
    ratio = to_k / from_k
    exponent = (ratio - 1.0) * bandgap_ev / (ideality * thermal_voltage(to_k))
    return float(saturation_current_a * ratio ** (xti / ideality) * math.exp(exponent))


def diode_voltage(
    current_a: FloatArray, saturation_current_a: float, ideality: float, series_resistance_ohm: float, vt_v: float
) -> FloatArray:
    """Voltage (V) across the diode and its series resistance at forward current ``current_a`` (A, > -Is)."""
    return ideality * vt_v * np.log1p(current_a / saturation_current_a) + current_a * series_resistance_ohm


def diode_current(
    voltage_v: FloatArray, saturation_current_a: float, ideality: float, series_resistance_ohm: float, vt_v: float
) -> FloatArray:
    """Current (A) at applied voltage ``voltage_v`` (V): the Lambert W closed form, overflow-free.

    I = n*Vt/Rs * W(Is*Rs/(n*Vt) * exp((V + Is*Rs)/(n*Vt))) - Is, with W(exp(x)) evaluated as the Wright
    omega function of x. With Rs = 0 it is the plain Shockley equation.
    """
    nvt = ideality * vt_v
    voltage = np.asarray(voltage_v, dtype=np.float64)
    if series_resistance_ohm == 0.0:
        return saturation_current_a * np.expm1(voltage / nvt)
    x = (
        math.log(saturation_current_a * series_resistance_ohm / nvt)
        + (voltage + saturation_current_a * series_resistance_ohm) / nvt
    )
    from scipy.special import wrightomega  # noqa: PLC0415 - loaded when an analysis runs: see the package

    omega = np.asarray(np.real(wrightomega(x)), dtype=np.float64)
    return nvt / series_resistance_ohm * omega - saturation_current_a


def _initial_guess(current: FloatArray, voltage: FloatArray, vt: float) -> tuple[float, float, float]:
    # Low-current half of the sweep (in log I): V ≈ n*Vt*ln(I) - n*Vt*ln(Is), Rs negligible there.
    log_current = np.log(current)
    low = log_current <= np.median(log_current)
    if np.count_nonzero(low) < 2:
        low = np.ones_like(low)
    slope, intercept = np.polyfit(log_current[low], voltage[low], 1)
    ideality = min(max(slope / vt, 0.6), 9.0)
    log_is = min(max(-intercept / slope, -75.0), -1.0)
    excess = voltage[-1] - ideality * vt * (math.log(current[-1]) - log_is)
    return log_is, ideality, max(excess / current[-1], 0.0)


def _voltage_sigma(
    current: FloatArray, params: FloatArray, vt: float, sigma_i: FloatArray, sigma_v: float
) -> FloatArray:
    """Each point's standard deviation seen as a voltage: the current's noise through the slope dV/dI, and the
    voltage reading's own noise."""
    log_is, ideality, rs = (float(p) for p in params)
    slope = ideality * vt / (current + math.exp(log_is)) + rs
    sigma: FloatArray = np.hypot(slope * sigma_i, sigma_v)
    return np.maximum(sigma, np.max(sigma) * 1e-12)


def _least_squares(
    model: Callable[..., FloatArray], current: FloatArray, voltage: FloatArray, sigma: FloatArray, p0: FloatArray
) -> tuple[FloatArray, FloatArray]:
    from scipy.optimize import curve_fit  # noqa: PLC0415 - loaded when an analysis runs: see the package

    try:
        params, covariance = curve_fit(
            model,
            current,
            voltage,
            p0=p0,
            sigma=sigma,
            absolute_sigma=False,
            bounds=([-80.0, 0.3, 0.0], [0.0, 20.0, np.inf]),
            method="trf",
            x_scale="jac",
            max_nfev=5000,
        )
    except RuntimeError as error:
        raise ValueError(f"the diode fit did not converge: {error}") from error
    return np.asarray(params, dtype=np.float64), np.asarray(covariance, dtype=np.float64)


def fit_diode_iv(
    voltage_v: npt.ArrayLike,
    current_a: npt.ArrayLike,
    *,
    temperature_k: float = 296.15,
    temperature_uncertainty_k: float = 0.0,
    min_current_a: float = 0.0,
    current_noise: tuple[float, float] = (1e-3, 0.0),
    current_sigma_a: npt.ArrayLike | None = None,
    voltage_sigma_v: float = 0.0,
) -> dict[str, Metric]:
    """Fit a forward I-V sweep with the Shockley diode and a series resistance.

    Args:
        voltage_v: Applied (sourced) voltages in V.
        current_a: Measured currents in A; points at or below ``min_current_a`` (and never ≤ 0) are left out.
        temperature_k: Junction temperature in K.
        temperature_uncertainty_k: Standard uncertainty of the temperature in K (type B, added to n).
        min_current_a: Lowest current in A to fit (to drop points lost in the noise floor).
        current_noise: Shape of the current noise as (fraction of reading, floor in A): sigma_I = sqrt((r*I)^2 + f^2).
            Each point is weighted by sigma_V = |dV/dI| * sigma_I; only the shape matters, because the covariance is
            scaled by the residuals. The default assumes noise proportional to the reading.
        current_sigma_a: The noise of each current reading in A (the instrument's noise model, e.g. per range);
            replaces ``current_noise`` when given.
        voltage_sigma_v: The noise of a voltage reading in V, where the voltage is measured rather than set.

    Returns:
        ``saturation_current`` (A), ``ideality_factor`` (1), ``series_resistance`` (ohm), each with U.

    Raises:
        ValueError: If fewer than 5 points are above the current floor, or the fit does not converge.
    """
    voltage = np.asarray(voltage_v, dtype=np.float64)
    current = np.asarray(current_a, dtype=np.float64)
    relative, floor = current_noise
    sigma_i = (
        np.hypot(relative * current, floor)
        if current_sigma_a is None
        else np.broadcast_to(np.asarray(current_sigma_a, dtype=np.float64), current.shape)
    )
    keep = current > max(min_current_a, 0.0)
    voltage, current, sigma_i = voltage[keep], current[keep], sigma_i[keep]
    if voltage.size < 5:
        raise ValueError(f"a diode fit needs at least 5 points above the current floor, got {voltage.size}")
    order = np.argsort(current)
    voltage, current, sigma_i = voltage[order], current[order], sigma_i[order]
    vt = thermal_voltage(temperature_k)

    def model(i: FloatArray, log_is: float, ideality: float, rs: float) -> FloatArray:
        return diode_voltage(i, math.exp(log_is), ideality, rs, vt)

    params = np.array(_initial_guess(current, voltage, vt))
    for _ in range(2):  # the weights depend on the fitted slope dV/dI: fit, reweight, refit
        sigma = _voltage_sigma(current, params, vt, sigma_i, voltage_sigma_v)
        params, covariance = _least_squares(model, current, voltage, sigma, params)
    log_is, ideality, rs = (float(p) for p in params)
    u_log_is, u_ideality, u_rs = (float(u) for u in fit_standard_uncertainties(covariance))
    u_ideality = math.hypot(u_ideality, ideality * temperature_uncertainty_k / temperature_k)
    k = coverage_factor(voltage.size - 3)
    saturation = math.exp(log_is)
    return {
        "saturation_current": Metric.from_standard_uncertainty(
            "saturation_current", saturation, saturation * u_log_is, "A", coverage_factor=k
        ),
        "ideality_factor": Metric.from_standard_uncertainty(
            "ideality_factor", ideality, u_ideality, "1", coverage_factor=k
        ),
        "series_resistance": Metric.from_standard_uncertainty("series_resistance", rs, u_rs, "ohm", coverage_factor=k),
    }

"""Devices under test: the physics the simulated instruments measure, and the truth tests compare to.

Each DUT is a frozen dataclass of its true parameters (``bench.truth(...)`` hands it out), with the
noise the fixture adds to a reading. Temperatures come from the fixture (ambient, or the chamber).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "BOLTZMANN_OVER_CHARGE_V_PER_K",
    "Capacitor",
    "DeviceUnderTest",
    "Diode",
    "InCircuitStep",
    "RCNetwork",
    "Resistor",
    "SquareDrive",
]

BOLTZMANN_OVER_CHARGE_V_PER_K = 8.617333262e-5
_ZERO_CELSIUS_K = 273.15


@dataclass(frozen=True, slots=True)
class Diode:
    """A junction diode: Shockley's equation with a series resistance.

    ``I = Is(T) * (exp((V - I*Rs) / (n*Vt)) - 1)``, with ``Vt = k*T/q`` at the fixture's temperature
    and ``Is(T)`` scaled from ``saturation_current_a`` at ``reference_temperature_c`` as SPICE does
    (``XTI = 3``, band gap ``bandgap_ev``). ``lead_resistance_ohm`` is each of the fixture's two leads: in series
    with the diode when it is measured two-wire, outside the loop when the SMU senses at the diode (four-wire).
    """

    label: str
    saturation_current_a: float
    ideality_factor: float
    series_resistance_ohm: float
    current_noise_a: float = 0.0
    reference_temperature_c: float = 25.0
    bandgap_ev: float = 1.12
    lead_resistance_ohm: float = 0.0

    def thermal_voltage_v(self, temperature_c: float) -> float:
        """Get ``kT/q`` in V at ``temperature_c``."""
        return BOLTZMANN_OVER_CHARGE_V_PER_K * (temperature_c + _ZERO_CELSIUS_K)

    def saturation_current_at(self, temperature_c: float) -> float:
        """Get the saturation current in A at ``temperature_c``."""
        ratio = (temperature_c + _ZERO_CELSIUS_K) / (self.reference_temperature_c + _ZERO_CELSIUS_K)
        n = self.ideality_factor
        exponent = (ratio - 1) * self.bandgap_ev / (n * self.thermal_voltage_v(temperature_c))
        return float(self.saturation_current_a * ratio ** (3 / n) * math.exp(exponent))

    def current_a(self, voltage_v: float, temperature_c: float) -> float:
        """Get the current in A at a terminal voltage, solving the implicit equation exactly.

        With ``a = n*Vt``: ``I = a/Rs * W(Is*Rs/a * exp((V + Is*Rs)/a)) - Is``; Wright's omega
        (``W(exp(z))``) keeps the exponent from overflowing at forward bias.
        """
        a = self.ideality_factor * self.thermal_voltage_v(temperature_c)
        i_s, r_s = self.saturation_current_at(temperature_c), self.series_resistance_ohm
        if r_s == 0.0:
            return i_s * math.expm1(voltage_v / a)
        z = math.log(i_s * r_s / a) + (voltage_v + i_s * r_s) / a
        from scipy.special import wrightomega  # noqa: PLC0415 - scipy loads in 0.4 s: not on the demo's way up

        return float(a / r_s * np.real(wrightomega(z)) - i_s)

    def voltage_v(self, current_a: float, temperature_c: float) -> float:
        """Get the terminal voltage in V while ``current_a`` (> -Is) flows."""
        a = self.ideality_factor * self.thermal_voltage_v(temperature_c)
        ratio = max(current_a / self.saturation_current_at(temperature_c), -1.0 + 1e-12)
        return a * math.log1p(ratio) + current_a * self.series_resistance_ohm


@dataclass(frozen=True, slots=True)
class Resistor:
    """A resistor with a linear temperature coefficient: ``R(T) = R0 * (1 + alpha * (T - T0))``."""

    label: str
    r0_ohm: float
    alpha_per_k: float
    reference_temperature_c: float = 25.0
    lead_resistance_ohm: float = 0.0
    noise_ohm: float = 0.0

    def resistance_ohm(self, temperature_c: float) -> float:
        """Get the true four-wire resistance in Ω at ``temperature_c``."""
        return self.r0_ohm * (1.0 + self.alpha_per_k * (temperature_c - self.reference_temperature_c))


@dataclass(frozen=True, slots=True)
class SquareDrive:
    """What the generator applies to a network: a square wave (or a DC level when ``period_s`` is 0).

    The levels are the generator's open-circuit voltages (its EMF); ``source_ohm`` is its output resistance, in
    series with whatever it drives.
    """

    low_v: float
    high_v: float
    period_s: float
    duty: float = 0.5
    source_ohm: float = 0.0


def _parallel_ohm(a: float, b: float) -> float:
    return a if math.isinf(b) else a * b / (a + b)


@dataclass(frozen=True, slots=True)
class InCircuitStep:
    """The RC network as the bench really has it: driven through the generator's source resistance and loaded by
    the scope input (R_in ∥ C_in) across its capacitor.

    Source Rs in series with the network's R, then C ∥ C_in ∥ R_in: a first-order system with
    ``tau = ((R + Rs) ∥ R_in) × (C + C_in)`` that settles at ``EMF × R_in / (R + Rs + R_in)``.

    Attributes:
        time_constant_s: The loaded circuit's time constant, in s.
        dc_gain: Final level at the scope over the generator's EMF (1 unloaded).
        low_v: The level the scope sees settled at the drive's low EMF, in V.
        high_v: The level the scope sees settled at the drive's high EMF, in V.
        source_ohm: The generator's output resistance, in Ω.
        input_ohm: The scope input's resistance, in Ω.
        input_f: The scope input's capacitance, in F.
    """

    time_constant_s: float
    dc_gain: float
    low_v: float
    high_v: float
    source_ohm: float
    input_ohm: float
    input_f: float

    @property
    def step_v(self) -> float:
        """Get the step the scope sees once settled, ``(high − low EMF) × dc_gain``, in V."""
        return self.high_v - self.low_v

    @property
    def rise_time_s(self) -> float:
        """Get the 10-90 % rise time of the loaded circuit, ``tau × ln 9``, in s."""
        return self.time_constant_s * math.log(9.0)


@dataclass(frozen=True, slots=True)
class RCNetwork:
    """A first-order RC low-pass: the scope sees the capacitor voltage; on its own ``tau = R*C``.

    In the bench's circuit the generator's source resistance adds to R and the scope input loads C: see
    :meth:`in_circuit`; :meth:`response_v` is the exact response of that loaded circuit.
    """

    label: str
    resistance_ohm: float
    capacitance_f: float
    noise_v: float = 0.0

    @property
    def time_constant_s(self) -> float:
        """Get ``tau = R*C`` in s."""
        return self.resistance_ohm * self.capacitance_f

    def in_circuit(self, drive: SquareDrive, *, input_ohm: float = math.inf, input_f: float = 0.0) -> InCircuitStep:
        """Get the network's response parameters with ``drive``'s source resistance and a scope input across C.

        Args:
            drive: What the generator applies (its EMF levels and source resistance).
            input_ohm: The scope input's resistance in Ω (``inf``: none).
            input_f: The scope input's capacitance in F.
        """
        series_ohm = self.resistance_ohm + drive.source_ohm
        gain = 1.0 if math.isinf(input_ohm) else input_ohm / (series_ohm + input_ohm)
        return InCircuitStep(
            time_constant_s=_parallel_ohm(series_ohm, input_ohm) * (self.capacitance_f + input_f),
            dc_gain=gain,
            low_v=drive.low_v * gain,
            high_v=drive.high_v * gain,
            source_ohm=drive.source_ohm,
            input_ohm=input_ohm,
            input_f=input_f,
        )

    def response_v(
        self,
        drive: SquareDrive,
        times_s: npt.NDArray[np.float64],
        *,
        input_ohm: float = math.inf,
        input_f: float = 0.0,
    ) -> npt.NDArray[np.float64]:
        """Get the steady-state capacitor voltage in V at ``times_s`` (rising drive edge at 0 s).

        The circuit is the loaded one of :meth:`in_circuit`. Each half period is an exponential towards the
        drive level times the divider's gain; the start values are the ones that repeat period after period,
        so a long square wave reads the same in any record.
        """
        circuit = self.in_circuit(drive, input_ohm=input_ohm, input_f=input_f)
        low, high = circuit.low_v, circuit.high_v
        if drive.period_s <= 0.0:
            return np.full(times_s.shape, high)
        tau = circuit.time_constant_s
        t_high = drive.duty * drive.period_s
        k_high = math.exp(-t_high / tau)
        k_low = math.exp(-(drive.period_s - t_high) / tau)
        start_rise = (low * (1 - k_low) + high * k_low * (1 - k_high)) / (1 - k_high * k_low)
        start_fall = high + (start_rise - high) * k_high
        phase = np.mod(times_s, drive.period_s)
        rising = phase < t_high
        out = np.empty_like(phase)
        out[rising] = high + (start_rise - high) * np.exp(-phase[rising] / tau)
        falling = ~rising
        out[falling] = low + (start_fall - low) * np.exp(-(phase[falling] - t_high) / tau)
        return out


@dataclass(frozen=True, slots=True)
class Capacitor:
    """A real capacitor: ideal C with a dielectric loss tangent, in series with an ESR.

    ``Z(f) = ESR + 1 / (j*w*C*(1 - j*tan_delta))``; its dissipation factor rises with frequency
    as the ESR term ``w*C*ESR`` grows.
    """

    label: str
    capacitance_f: float
    loss_tangent: float
    esr_ohm: float
    relative_noise: float = 0.0

    def impedance_ohm(self, frequency_hz: float) -> complex:
        """Get the complex impedance in Ω at ``frequency_hz``."""
        omega = 2 * math.pi * frequency_hz
        return self.esr_ohm + 1 / (1j * omega * self.capacitance_f * (1 - 1j * self.loss_tangent))

    def dissipation_factor(self, frequency_hz: float) -> float:
        """Get the true D = R/|X| at ``frequency_hz`` (the same in series and parallel models)."""
        z = self.impedance_ohm(frequency_hz)
        return z.real / -z.imag

    def parallel_capacitance_f(self, frequency_hz: float) -> float:
        """Get the true parallel-model capacitance Cp in F at ``frequency_hz``."""
        admittance = 1 / self.impedance_ohm(frequency_hz)
        return admittance.imag / (2 * math.pi * frequency_hz)


DeviceUnderTest = Diode | Resistor | RCNetwork | Capacitor

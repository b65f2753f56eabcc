"""The lab's table of each model's stated accuracy: what a reading may be off by, range by range.

Figures are the manufacturers' one-year specifications at 23 °C ± 5 °C, as the lab copied them from the
datasheets into its quality records. Two users read the same table: the uncertainty budgets (a type B
contribution for the range a reading was actually taken on) and the simulated bench (each simulated instrument
draws its own gain and offset errors within these limits, so a budget is tested against an instrument that is
really off, by no more than its datasheet allows).

.. code-block:: python

    current = MODEL_ACCURACY["keithley2450"]["current"]
    span = current.range_for(0.012)           # the 100 mA range, where the 2450 autoranges to
    current.half_width(0.012)                 # 0.025 % of 12 mA + 6 µA
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "CHAMBER_SENSOR",
    "GENERATOR_OUTPUT",
    "LCR_BASIC",
    "MODEL_ACCURACY",
    "SCOPE_INPUT",
    "SCOPE_VERTICAL",
    "FunctionAccuracy",
    "GeneratorOutput",
    "LcrAccuracy",
    "RangeAccuracy",
    "ScopeInput",
    "ScopeVertical",
]


@dataclass(frozen=True, slots=True)
class RangeAccuracy:
    """One range: ±(``of_reading`` × reading + ``offset``), and the reading noise on it.

    Attributes:
        full_scale: The range's nominal full scale, in the function's units.
        of_reading: Gain part, a fraction of the reading (0.00025 for 0.025 %).
        offset: Offset part, in the function's units.
        noise: Typical rms noise of one reading at 1 PLC, in the function's units.
    """

    full_scale: float
    of_reading: float
    offset: float
    noise: float = 0.0

    def half_width(self, reading: float) -> float:
        """Half-width of the accuracy interval at ``reading`` on this range, in the function's units."""
        return abs(self.of_reading * reading) + self.offset


@dataclass(frozen=True, slots=True)
class FunctionAccuracy:
    """A measurement (or source) function of a model: its ranges, smallest first.

    Attributes:
        units: Units of readings and ranges.
        ranges: The ranges, ascending full scale.
        overrange: How far past full scale a range still reads (1.05 for 5 %), which sets where autorange steps up.
        reference: Where the figures come from, as the quality records cite it.
    """

    units: str
    ranges: tuple[RangeAccuracy, ...]
    overrange: float
    reference: str

    def range_for(self, reading: float) -> RangeAccuracy:
        """The range autorange takes ``reading`` on: the smallest that holds it (the largest if none)."""
        magnitude = abs(reading)
        for candidate in self.ranges:
            if magnitude <= candidate.full_scale * self.overrange:
                return candidate
        return self.ranges[-1]

    def half_width(self, reading: float) -> float:
        """Half-width of the accuracy interval of ``reading`` on the range autorange takes it on."""
        return self.range_for(reading).half_width(reading)


@dataclass(frozen=True, slots=True)
class LcrAccuracy:
    """An LCR meter's basic accuracy Ae (fraction of |Z|, hence of C) by test frequency, widened by the residual
    short impedance and open admittance left after compensation; D is good to ±Ae (as a number) while D ≤ 0.1.

    Attributes:
        bands: (highest frequency in Hz, basic accuracy as a fraction), ascending.
        short_residual_ohm: Zs after short compensation.
        open_residual_s: Yo after open compensation.
        reference: Where the figures come from.
    """

    bands: tuple[tuple[float, float], ...]
    short_residual_ohm: float
    open_residual_s: float
    reference: str

    def relative(self, frequency_hz: float, impedance_ohm: float) -> float:
        """Ae at ``frequency_hz`` for a DUT of ``impedance_ohm``: the relative accuracy of C, and of D absolute."""
        basic = next((a for top, a in self.bands if frequency_hz <= top), self.bands[-1][1])
        z = abs(impedance_ohm)
        return basic + self.short_residual_ohm / z + self.open_residual_s * z


@dataclass(frozen=True, slots=True)
class ScopeVertical:
    """An oscilloscope channel's DC accuracy: gain as a fraction of full scale, offset in divisions and volts.

    Attributes:
        gain_of_full_scale: DC vertical gain accuracy, fraction of full scale (8 divisions).
        offset_divisions: Offset accuracy, in divisions of the vertical scale.
        offset_v: Offset accuracy, fixed part in V.
        offset_of_setting: Offset accuracy, fraction of the offset setting.
        noise_divisions: Typical rms noise, in divisions.
        timebase: Time base accuracy, a fraction (ppm × 1e-6).
        reference: Where the figures come from.
    """

    gain_of_full_scale: float
    offset_divisions: float
    offset_v: float
    offset_of_setting: float
    noise_divisions: float
    timebase: float
    reference: str

    def gain_half_width(self, volts_per_division: float, divisions: float = 8.0) -> float:
        """Half-width of the gain error in V for a full-scale signal at ``volts_per_division``."""
        return self.gain_of_full_scale * volts_per_division * divisions

    def offset_half_width(self, volts_per_division: float, offset_setting_v: float) -> float:
        """Half-width of the offset error in V."""
        fixed = self.offset_divisions * volts_per_division + self.offset_v
        return fixed + self.offset_of_setting * abs(offset_setting_v)


@dataclass(frozen=True, slots=True)
class ScopeInput:
    """The scope input that loads a circuit: R ∥ C, each nominal with its tolerance (fractions)."""

    resistance_ohm: float
    resistance_tolerance: float
    capacitance_f: float
    capacitance_tolerance: float
    reference: str


@dataclass(frozen=True, slots=True)
class GeneratorOutput:
    """A function generator's output: its source impedance and amplitude accuracy."""

    impedance_ohm: float
    impedance_tolerance: float
    amplitude_of_setting: float
    amplitude_v: float
    reference: str


def _ranges(*rows: tuple[float, float, float, float]) -> tuple[RangeAccuracy, ...]:
    return tuple(RangeAccuracy(*row) for row in rows)


_K2450 = "Keithley 2450 datasheet, 1 year, 23 °C ± 5 °C"
_K34410 = "Agilent 34410A datasheet, 1 year, 23 °C ± 5 °C"

#: Accuracy by driver name and function. Current: the 2450's measure ranges; noise is its 1 PLC rms noise.
MODEL_ACCURACY: dict[str, dict[str, FunctionAccuracy]] = {
    "keithley2450": {
        "current": FunctionAccuracy(
            "A",
            _ranges(
                (1e-8, 1.0e-3, 50e-12, 5e-12),
                (1e-7, 6.0e-4, 100e-12, 20e-12),
                (1e-6, 2.5e-4, 300e-12, 50e-12),
                (1e-5, 2.5e-4, 700e-12, 200e-12),
                (1e-4, 2.0e-4, 6e-9, 1e-9),
                (1e-3, 2.0e-4, 60e-9, 10e-9),
                (1e-2, 2.0e-4, 600e-9, 100e-9),
                (1e-1, 2.5e-4, 6e-6, 1e-6),
                (1.0, 6.7e-4, 900e-6, 20e-6),
            ),
            1.05,
            _K2450,
        ),
        "voltage": FunctionAccuracy(
            "V",
            _ranges(
                (0.02, 1.0e-3, 150e-6, 10e-6),
                (0.2, 1.2e-4, 200e-6, 10e-6),
                (2.0, 1.2e-4, 300e-6, 20e-6),
                (20.0, 1.5e-4, 1e-3, 200e-6),
                (200.0, 1.5e-4, 10e-3, 2e-3),
            ),
            1.05,
            _K2450,
        ),
    },
    "agilent34410a": {
        "resistance_4w": FunctionAccuracy(
            "ohm",
            _ranges(
                (100.0, 1.0e-4, 100.0 * 4e-5, 100.0 * 1e-6),
                (1e3, 1.0e-4, 1e3 * 1e-5, 1e3 * 5e-7),
                (1e4, 1.0e-4, 1e4 * 1e-5, 1e4 * 5e-7),
                (1e5, 1.0e-4, 1e5 * 1e-5, 1e5 * 5e-7),
                (1e6, 1.2e-4, 1e6 * 1e-5, 1e6 * 1e-6),
            ),
            1.2,
            _K34410,
        ),
        "voltage_dc": FunctionAccuracy(
            "V",
            _ranges(
                (0.1, 5.0e-5, 0.1 * 3.5e-5, 0.1 * 1e-6),
                (1.0, 4.0e-5, 1.0 * 7e-6, 1.0 * 3e-7),
                (10.0, 3.5e-5, 10.0 * 5e-6, 10.0 * 3e-7),
                (100.0, 4.5e-5, 100.0 * 6e-6, 100.0 * 3e-7),
            ),
            1.2,
            _K34410,
        ),
    },
}

#: Agilent E4980A basic accuracy at 1 V, medium integration, after open and short compensation.
LCR_BASIC = LcrAccuracy(
    bands=((1e3, 5e-4), (1e4, 5e-4), (1e5, 1e-3), (2e6, 2e-3)),
    short_residual_ohm=2.5e-3,
    open_residual_s=2e-9,
    reference="Agilent E4980A datasheet, basic accuracy, 1 V, MED, after OPEN/SHORT correction",
)

#: Keysight InfiniiVision DSOX3024T channel accuracy (≥ 10 mV/div) and time base.
SCOPE_VERTICAL = ScopeVertical(
    gain_of_full_scale=0.02,
    offset_divisions=0.1,
    offset_v=2e-3,
    offset_of_setting=0.01,
    noise_divisions=0.02,
    timebase=1.6e-6 + 0.5e-6,
    reference="Keysight DSOX3024T datasheet: DC vertical gain ±2 % of full scale; time base 1.6 ppm + 0.5 ppm/year",
)

#: The DSOX3024T's 1 MΩ input.
SCOPE_INPUT = ScopeInput(1e6, 0.01, 14e-12, 0.15, "Keysight DSOX3024T datasheet: 1 MΩ ± 1 % ∥ 14 pF")

#: The 33522B's output.
GENERATOR_OUTPUT = GeneratorOutput(
    50.0, 0.02, 0.01, 1e-3, "Agilent 33522B datasheet: 50 Ω output; amplitude ±1 % of setting ±1 mVpp"
)

#: Watlow F4T with the chamber's class A Pt100 at the sample position: ±(0.15 + 0.002 |t|) °C.
CHAMBER_SENSOR = FunctionAccuracy(
    "degC",
    (RangeAccuracy(200.0, 0.002, 0.15, 0.01),),
    1.0,
    "IEC 60751 class A Pt100 with the Watlow F4T input, ±(0.15 + 0.002 |t|) °C",
)


def _check() -> None:
    for functions in MODEL_ACCURACY.values():
        for function in functions.values():
            scales = [r.full_scale for r in function.ranges]
            if scales != sorted(scales) or not all(math.isfinite(s) and s > 0 for s in scales):
                raise ValueError(f"ranges of {function.reference} must be positive and ascending")


_check()

"""Simulated Agilent E4980A LCR meter measuring the capacitor on its fixture.

The unit errs within its basic accuracy Ae (:data:`instruments.accuracy.LCR_BASIC`, which grows with the residual
impedances for a DUT far from 1 kΩ-ish): in each frequency band it drew once a relative error of the parallel
capacitance within ±Ae and an absolute error of D within ±Ae. The measured impedance is built from those, so every
function (CPD, CSRS, ZTD, ...) reads the same erring impedance; the relative noise of the fixture comes on top.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable

from instruments.accuracy import LCR_BASIC
from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import Capacitor
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import (
    ILLEGAL_PARAMETER,
    ScpiError,
    format_number,
    normalise_header,
    parse_number,
    single_argument,
)

__all__ = ["SimulatedAgilentE4980"]

_OPEN_OHM = complex(1e12, 0.0)
# Measurement function -> (primary, secondary) from impedance Z and angular frequency w.
_FUNCTIONS: dict[str, Callable[[complex, float], tuple[float, float]]] = {
    "CPD": lambda z, w: ((1 / z).imag / w, (1 / z).real / (1 / z).imag),
    "CPQ": lambda z, w: ((1 / z).imag / w, (1 / z).imag / (1 / z).real),
    "CPG": lambda z, w: ((1 / z).imag / w, (1 / z).real),
    "CPRP": lambda z, w: ((1 / z).imag / w, 1 / (1 / z).real),
    "CSD": lambda z, w: (-1 / (w * z.imag), z.real / -z.imag),
    "CSQ": lambda z, w: (-1 / (w * z.imag), -z.imag / z.real),
    "CSRS": lambda z, w: (-1 / (w * z.imag), z.real),
    "LPD": lambda z, w: (-1 / (w * (1 / z).imag), (1 / z).real / -(1 / z).imag),
    "LPQ": lambda z, w: (-1 / (w * (1 / z).imag), -(1 / z).imag / (1 / z).real),
    "LPG": lambda z, w: (-1 / (w * (1 / z).imag), (1 / z).real),
    "LPRP": lambda z, w: (-1 / (w * (1 / z).imag), 1 / (1 / z).real),
    "LSD": lambda z, w: (z.imag / w, z.real / z.imag),
    "LSQ": lambda z, w: (z.imag / w, z.imag / z.real),
    "LSRS": lambda z, w: (z.imag / w, z.real),
    "RX": lambda z, w: (z.real, z.imag),
    "ZTD": lambda z, w: (abs(z), math.degrees(cmath.phase(z))),
    "ZTR": lambda z, w: (abs(z), cmath.phase(z)),
    "GB": lambda z, w: ((1 / z).real, (1 / z).imag),
    "YTD": lambda z, w: (abs(1 / z), math.degrees(cmath.phase(1 / z))),
    "YTR": lambda z, w: (abs(1 / z), cmath.phase(1 / z)),
}


class SimulatedAgilentE4980(SimulatedInstrument):
    """An E4980A whose ``:FETCH?`` answers ``primary,secondary,status`` for the selected function."""

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec, fixture, seed)
        self.choice_setting("data_format", "FORM", choices=("ASC", "REAL"), default="ASC")
        self.choice_setting("function", "FUNC:IMP:TYPE", choices=tuple(_FUNCTIONS), default="CPD")
        self.choice_setting("trigger_source", "TRIG:SOUR", choices=("HOLD", "INT", "BUS", "EXT"), default="INT")
        self.number_setting(
            "frequency_hz", writes=(":FREQ:CW", ":FREQ"), reads=(":FREQ:CW?", ":FREQ?"), low=20.0, high=2e6,
            default=1e3,
        )  # fmt: skip
        self.number_setting(
            "ac_voltage_v", writes=(":VOLT:LEV",), reads=(":VOLT:LEV?",), low=0.0, high=20.0, default=1.0
        )
        self.number_setting(
            "ac_current_a", writes=(":CURR:LEV",), reads=(":CURR:LEV?",), low=0.0, high=0.1, default=0.0
        )
        self.on(":TRIG:IMM", lambda _: None)
        self._aperture = "MED,1"
        self.on(":APER", self._set_aperture)
        self.on(":APER?", lambda _: self._aperture)
        self.on(":FETC?", lambda _: self.fetch())
        self.on(":FETC:IMP:FORM?", lambda _: self.fetch())

    def _set_aperture(self, arguments: list[str]) -> None:
        time = normalise_header(single_argument(arguments))
        if time not in {"SHOR", "MED", "LONG"}:
            raise ScpiError(ILLEGAL_PARAMETER)
        averages = parse_number(arguments[1], 1, 256) if len(arguments) > 1 else 1
        self._aperture = f"{'SHORT' if time == 'SHOR' else time},{int(averages)}"

    def fetch(self) -> str:
        """Measure the fixture at the set frequency: ``primary,secondary,+0`` (status 0: normal)."""
        frequency_hz = float(self.settings["frequency_hz"])
        dut = self.fixture.dut
        impedance, relative = _OPEN_OHM, 0.0
        if isinstance(dut, Capacitor):
            impedance = self.measured_impedance(dut.impedance_ohm(frequency_hz), frequency_hz)
            relative = dut.relative_noise
        primary, secondary = _FUNCTIONS[str(self.settings["function"])](impedance, 2 * math.pi * frequency_hz)
        primary *= 1 + self.noise(relative)
        secondary *= 1 + self.noise(relative)
        return f"{format_number(primary)},{format_number(secondary)},+0"

    def measured_impedance(self, impedance_ohm: complex, frequency_hz: float) -> complex:
        """Get the impedance the unit reads for ``impedance_ohm`` at ``frequency_hz``: Cp off by its relative error,
        D off by its absolute error, both the unit's draws within ±Ae for the frequency band."""
        band = next((i for i, (top, _) in enumerate(LCR_BASIC.bands) if frequency_hz <= top), len(LCR_BASIC.bands) - 1)
        accuracy = LCR_BASIC.relative(frequency_hz, abs(impedance_ohm))
        admittance = 1 / impedance_ohm
        if admittance.imag == 0.0:
            return impedance_ohm
        susceptance = admittance.imag * (1 + self.unit_errors.within(f"band {band}/capacitance", accuracy))
        dissipation = admittance.real / abs(admittance.imag)
        dissipation += self.unit_errors.within(f"band {band}/dissipation", accuracy)
        return 1 / complex(dissipation * abs(susceptance), susceptance)

"""Simulated Agilent E4980A LCR meter measuring the capacitor on its fixture.

The unit errs within its basic accuracy Ae (:data:`instruments.accuracy.LCR_BASIC`, which grows with the residual
impedances for a DUT far from 1 kΩ-ish): in each frequency band it drew once a relative error of the parallel
capacitance within ±Ae and an absolute error of D within ±Ae. The measured impedance is built from those, so every
function (CPD, CSRS, ZTD, ...) reads the same erring impedance; the relative noise of the fixture comes on top.

``:FETCh?`` answers ``<A>,<B>,<status>`` as the manual formats them with ``:FORMat:ASCii:LONG OFF`` (its default:
``+9.99915E-08``, ``+0``); with the list sweep page shown (``:DISPlay:PAGE LIST``) a trigger sweeps the
``:LIST:FREQuency`` points and ``:FETCh?`` answers ``<A>,<B>,<status>,<in/out>`` for each.

A measurement takes as long as on the hardware (on the bench's clock, :mod:`instruments.sim.clock`): the measurement
time of the aperture (:data:`APERTURE_S`: SHORT, MEDium or LONG, the E4980A data sheet's typical measurement times
at 1 kHz and above) times the averaging count (``:APERture <mode>,<count>``, 1 to 256), for each point measured.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable
from typing import ClassVar

from instruments.accuracy import LCR_BASIC
from instruments.sim.clock import SimulatedClock
from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import Capacitor
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import (
    STATUS_PRESET,
    Boolean,
    Call,
    Choice,
    Command,
    CommandTree,
    Numeric,
    ReplyFormat,
    Setting,
    error_queries,
    ieee488_commands,
    nr3,
)

__all__ = ["APERTURE_S", "SimulatedAgilentE4980"]

#: Measurement time of one measurement per aperture, in s: the E4980A data sheet's typical figures (test frequency
#: 1 kHz and above; lower frequencies take longer on the hardware, which the simulation does not model).
APERTURE_S = {"SHOR": 0.0056, "MED": 0.088, "LONG": 0.22}

_OPEN_OHM = complex(1e12, 0.0)
_FREQUENCY_HZ = Numeric(20.0, 2e6, unit="HZ", default=1e3)
_LIST_POINTS = 201
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
_PAGES = ("MEASurement", "BNUMber", "BCOunt", "LIST", "MSETup", "CSETup", "LTABle", "LSETup", "CATalog", "SYSTem")


class SimulatedAgilentE4980(SimulatedInstrument):
    """An E4980A whose ``:FETCh?`` answers ``primary,secondary,status`` for the selected function."""

    def __init__(
        self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int], *, clock: SimulatedClock | None = None
    ) -> None:
        super().__init__(spec, fixture, seed, clock=clock)
        self.list_frequencies_hz: tuple[float, ...] = ()

    def fetch(self) -> str:
        """Measure the fixture as the display page says: one point, or each point of the list sweep."""
        swept = len(self.list_frequencies_hz) if self.settings["page"] == "LIST" else 0
        self.work(max(swept, 1) * APERTURE_S[str(self.settings["aperture"])] * float(self.settings["averages"]))
        if self.settings["page"] != "LIST" or not self.list_frequencies_hz:
            primary, secondary = self.measure(float(self.settings["frequency_hz"]))
            return f"{self._number(primary)},{self._number(secondary)},+0"
        points = (self.measure(frequency) for frequency in self.list_frequencies_hz)
        return ",".join(f"{self._number(a)},{self._number(b)},+0,+0" for a, b in points)

    def measure(self, frequency_hz: float) -> tuple[float, float]:
        """Measure the fixture at ``frequency_hz``: the primary and secondary values of the selected function."""
        dut = self.fixture.dut
        impedance, relative = _OPEN_OHM, 0.0
        if isinstance(dut, Capacitor):
            impedance = self.measured_impedance(dut.impedance_ohm(frequency_hz), frequency_hz)
            relative = dut.relative_noise
        primary, secondary = _FUNCTIONS[str(self.settings["function"])](impedance, 2 * math.pi * frequency_hz)
        return primary * (1 + self.noise(relative)), secondary * (1 + self.noise(relative))

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

    def _number(self, value: float) -> str:
        return self.tree.replies.number(value)

    # -- handlers ----------------------------------------------------------------------------------

    def _fetch(self, call: Call) -> str:
        return self.fetch()

    def _set_aperture(self, call: Call) -> None:
        self.settings["aperture"] = str(call.arguments[0])
        if call.arguments[1] is not None:
            self.settings["averages"] = call.number(1)

    def _aperture(self, call: Call) -> str:
        return f"{self.settings['aperture']},{round(float(self.settings['averages']))}"

    def _set_list_frequencies(self, call: Call) -> None:
        self.list_frequencies_hz = tuple(float(value) for value in call.arguments if isinstance(value, float))

    def _list_frequencies(self, call: Call) -> str:
        return ",".join(self._number(frequency) for frequency in self.list_frequencies_hz)

    def _nothing(self, call: Call) -> None:
        """A trigger or an abort: each ``:FETCh?`` measures anew, so there is nothing to start or stop."""

    commands: ClassVar[CommandTree[SimulatedAgilentE4980]] = CommandTree(
        [
            *ieee488_commands(),
            *error_queries(),
            STATUS_PRESET,
            Setting(":FORMat[:DATA]", "data_format", Choice(("ASCii", "REAL")), "ASC"),
            Setting(":FORMat:ASCii:LONG", "long_format", Boolean(), False),
            Setting("[:SENSe]:FUNCtion:IMPedance[:TYPE]", "function", Choice(tuple(_FUNCTIONS)), "CPD"),
            Setting(":TRIGger:SOURce", "trigger_source", Choice(("INTernal", "EXTernal", "BUS", "HOLD")), "INT"),
            Command(":TRIGger[:IMMediate]", _nothing),
            Command(":INITiate[:IMMediate]", _nothing),
            Setting(":INITiate:CONTinuous", "continuous", Boolean(), False),
            Command(":ABORt", _nothing),
            Setting("[:SOURce]:FREQuency[:CW]", "frequency_hz", _FREQUENCY_HZ, 1e3),
            Setting("[:SOURce]:VOLTage[:LEVel]", "ac_voltage_v", Numeric(0.0, 20.0, unit="V", default=1.0), 1.0),
            Setting("[:SOURce]:CURRent[:LEVel]", "ac_current_a", Numeric(0.0, 0.1, unit="A", default=0.0), 0.0),
            Command(
                "[:SENSe]:APERture",
                _set_aperture,
                (Choice(("SHORt", "MEDium", "LONG")), Numeric(1, 256, integer=True, optional=True)),
            ),
            Command("[:SENSe]:APERture?", _aperture),
            Setting(":DISPlay:PAGE", "page", Choice(_PAGES), "MEAS"),
            Setting(":LIST:MODE", "list_mode", Choice(("SEQuence", "STEPped")), "SEQ"),
            Command(":LIST:FREQuency", _set_list_frequencies, (_FREQUENCY_HZ,), repeat_last=True),
            Command(":LIST:FREQuency?", _list_frequencies),
            Command(":FETCh[:IMPedance][:FORMatted]?", _fetch),
        ],
        replies=ReplyFormat(number=nr3(5)),
        defaults={"aperture": "MED", "averages": 1.0},
    )

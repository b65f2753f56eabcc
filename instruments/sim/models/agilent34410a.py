"""Simulated Agilent 34410A multimeter reading the resistor on its fixture.

Resistance and DC voltage err as the unit's datasheet allows (:data:`instruments.accuracy.MODEL_ACCURACY`): a gain
and an offset error per range, drawn once for the unit, and the range's noise. ``MEAS:<function>? [<range>[,
<resolution>]]`` autoranges for ``DEF``/``AUTO`` (or no argument) and otherwise takes the smallest range that holds
the given value; a reading past that range's 120 % is an overload, ±9.9E+37. Two-wire ``MEAS:RES?`` adds both leads
of the fixture; four-wire ``MEAS:FRES?`` does not.
"""

from __future__ import annotations

from instruments.accuracy import MODEL_ACCURACY
from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import Resistor
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import DATA_TYPE_ERROR, ScpiError, format_number, short_form
from instruments.sim.unit_errors import OVERFLOW, RangedFunction

__all__ = ["OVERLOAD", "SimulatedAgilent34410A"]

#: What a 34410A reads on an open input or out of range.
OVERLOAD = OVERFLOW
_DC_NOISE_A = 2e-10
_TABLE = MODEL_ACCURACY["agilent34410a"]


def _range_argument(function: RangedFunction, arguments: list[str]) -> float | None:
    """The range a ``MEAS`` query asks for: None for autorange (``DEF``, ``AUTO`` or nothing)."""
    text = arguments[0].strip() if arguments else ""
    keyword = short_form(text)
    if keyword in {"", "DEF", "AUTO"}:
        return None
    if keyword in {"MIN", "MAX"}:
        return function.accuracy.ranges[0 if keyword == "MIN" else -1].full_scale
    try:
        return abs(float(text))
    except ValueError:
        raise ScpiError(DATA_TYPE_ERROR) from None


class SimulatedAgilent34410A(SimulatedInstrument):
    """A 34410A answering ``MEAS:...?`` queries; the fixture's resistor gives the resistance."""

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec, fixture, seed)
        self._resistance = self.function("resistance", _TABLE["resistance_4w"])
        self._voltage = self.function("dc voltage", _TABLE["voltage_dc"])
        self.on("MEAS:FRES?", lambda arguments: format_number(self.resistance_ohm(arguments, four_wire=True)))
        self.on("MEAS:RES?", lambda arguments: format_number(self.resistance_ohm(arguments, four_wire=False)))
        self.on("MEAS:VOLT:DC?", lambda arguments: format_number(self.voltage_v(arguments)))
        self.on("MEAS:VOLT:AC?", lambda arguments: format_number(abs(self.voltage_v(arguments))))
        self.on("MEAS:CURR:DC?", lambda _: format_number(self.noise(_DC_NOISE_A)))
        self.on("MEAS:CURR:AC?", lambda _: format_number(abs(self.noise(_DC_NOISE_A))))

    def resistance_ohm(self, arguments: list[str], *, four_wire: bool) -> float:
        """Read the resistance in Ω; two-wire adds both leads, an empty fixture reads overload."""
        dut = self.fixture.dut
        if not isinstance(dut, Resistor):
            return OVERLOAD
        true_ohm = dut.resistance_ohm(self.fixture.temperature_c()) + self.noise(dut.noise_ohm)
        if not four_wire:
            true_ohm += 2 * dut.lead_resistance_ohm
        range_setting = _range_argument(self._resistance, arguments)
        return self._resistance.read(true_ohm, range_setting=range_setting, noise=self.noise).value

    def voltage_v(self, arguments: list[str]) -> float:
        """Read the DC voltage in V: nothing on the fixture drives the input, so its offset and noise."""
        range_setting = _range_argument(self._voltage, arguments)
        return self._voltage.read(0.0, range_setting=range_setting, noise=self.noise).value

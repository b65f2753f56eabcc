"""Simulated Agilent 34410A multimeter reading the resistor on its fixture."""

from __future__ import annotations

from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import Resistor
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import format_number

__all__ = ["OVERLOAD", "SimulatedAgilent34410A"]

#: What a 34410A reads on an open input or out of range.
OVERLOAD = 9.9e37
_DC_NOISE_V = 2e-7
_DC_NOISE_A = 2e-10


class SimulatedAgilent34410A(SimulatedInstrument):
    """A 34410A answering ``MEAS:...?`` queries; the fixture's resistor gives the resistance."""

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec, fixture, seed)
        self.on("MEAS:FRES?", lambda _: format_number(self.resistance_ohm(four_wire=True)))
        self.on("MEAS:RES?", lambda _: format_number(self.resistance_ohm(four_wire=False)))
        self.on("MEAS:VOLT:DC?", lambda _: format_number(self.noise(_DC_NOISE_V)))
        self.on("MEAS:VOLT:AC?", lambda _: format_number(abs(self.noise(_DC_NOISE_V))))
        self.on("MEAS:CURR:DC?", lambda _: format_number(self.noise(_DC_NOISE_A)))
        self.on("MEAS:CURR:AC?", lambda _: format_number(abs(self.noise(_DC_NOISE_A))))

    def resistance_ohm(self, *, four_wire: bool) -> float:
        """Read the resistance in Ω; two-wire adds both leads, an empty fixture reads overload."""
        dut = self.fixture.dut
        if not isinstance(dut, Resistor):
            return OVERLOAD
        value = dut.resistance_ohm(self.fixture.temperature_c()) + self.noise(dut.noise_ohm)
        return value if four_wire else value + 2 * dut.lead_resistance_ohm

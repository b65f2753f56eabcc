"""Simulated Keithley 2450 SourceMeter (SCPI command set) with a diode or resistor on its fixture."""

from __future__ import annotations

import math

from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import Diode, Resistor
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import format_number

__all__ = ["SimulatedKeithley2450"]

_OPEN_CIRCUIT_OHM = 1e12
_SENSE_FUNCTIONS = ("VOLT", "CURR", "RES")


class SimulatedKeithley2450(SimulatedInstrument):
    """A 2450 sourcing voltage or current into the fixture's DUT and reading ``:READ?``."""

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec, fixture, seed)
        self.choice_setting("source_function", ":SOUR:FUNC", choices=("VOLT", "CURR"), default="VOLT")
        self.choice_setting("sense_function", ":SENS:FUNC", choices=_SENSE_FUNCTIONS, default="CURR")
        self.switch_setting("output", "OUTP", default=False)
        level = {"low": -210.0, "high": 210.0}
        self.number_setting(
            "source_voltage_v", writes=(":SOUR:VOLT:LEV", ":SOUR:VOLT"),
            reads=(":SOUR:VOLT?", ":SOUR:VOLT:LEV?"), default=0.0, **level,
        )  # fmt: skip
        self.number_setting(
            "source_current_a", writes=(":SOUR:CURR:LEV", ":SOUR:CURR"),
            reads=(":SOUR:CURR?", ":SOUR:CURR:LEV?"), low=-1.05, high=1.05, default=0.0,
        )  # fmt: skip
        self.number_setting(
            "current_limit_a", writes=(":SOUR:VOLT:ILIM",), reads=(":SOUR:VOLT:ILIM?",),
            low=1e-9, high=1.05, default=1.05e-4,
        )  # fmt: skip
        self.number_setting(
            "voltage_limit_v", writes=(":SOUR:CURR:VLIM",), reads=(":SOUR:CURR:VLIM?",),
            low=0.02, high=210.0, default=21.0,
        )  # fmt: skip
        for function in _SENSE_FUNCTIONS:
            self.number_setting(
                f"{function}_nplc", writes=(f":SENS:{function}:NPLC",), reads=(f":SENS:{function}:NPLC?",),
                low=0.01, high=10.0, default=1.0,
            )  # fmt: skip
            self.number_setting(
                f"{function}_range", writes=(f":SENS:{function}:RANG",), reads=(f":SENS:{function}:RANG?",),
                low=0.0, high=210e6, default=0.0,
            )  # fmt: skip
            self.switch_setting(f"{function}_autorange", f":SENS:{function}:RANG:AUTO", default=True)
        for function in ("VOLT", "CURR"):
            self.number_setting(
                f"source_{function}_range", writes=(f":SOUR:{function}:RANG",),
                reads=(f":SOUR:{function}:RANG?",), low=-210.0, high=210.0, default=0.0,
            )  # fmt: skip
            self.switch_setting(f"source_{function}_autorange", f":SOUR:{function}:RANG:AUTO", default=True)
        self.switch_setting("four_wire", ":SENS:RES:RSEN", default=False)
        for header in (":ABOR", ":INIT", ":TRAC:CLE", "*TRG", ":ROUT:TERM"):
            self.on(header, lambda _: None)
        self.on(":READ?", lambda _: format_number(self.read()))

    def read(self) -> float:
        """Take one reading of the sense function, with the DUT's noise."""
        voltage_v, current_a = self._operating_point()
        function = self.settings["sense_function"]
        if function == "VOLT":
            return voltage_v
        if function == "CURR":
            return current_a
        return voltage_v / current_a if current_a else _OPEN_CIRCUIT_OHM

    def _operating_point(self) -> tuple[float, float]:
        """Get (terminal voltage in V, current in A) with limits applied and noise on the current."""
        temperature_c = self.fixture.temperature_c()
        dut = self.fixture.dut
        noise_a = dut.current_noise_a if isinstance(dut, Diode) else 0.0
        if not self.settings["output"]:
            return 0.0, self.noise(noise_a)
        if self.settings["source_function"] == "VOLT":
            voltage_v = float(self.settings["source_voltage_v"])
            current_a = _current_through(dut, voltage_v, temperature_c)
            limit_a = float(self.settings["current_limit_a"])
            current_a = math.copysign(min(abs(current_a), limit_a), current_a)
            return voltage_v, current_a + self.noise(noise_a)
        current_a = float(self.settings["source_current_a"])
        voltage_v = _voltage_across(dut, current_a, temperature_c)
        limit_v = float(self.settings["voltage_limit_v"])
        return math.copysign(min(abs(voltage_v), limit_v), voltage_v), current_a


def _current_through(dut: object, voltage_v: float, temperature_c: float) -> float:
    if isinstance(dut, Diode):
        return dut.current_a(voltage_v, temperature_c)
    if isinstance(dut, Resistor):
        return voltage_v / dut.resistance_ohm(temperature_c)
    return voltage_v / _OPEN_CIRCUIT_OHM


def _voltage_across(dut: object, current_a: float, temperature_c: float) -> float:
    if isinstance(dut, Diode):
        return dut.voltage_v(current_a, temperature_c)
    if isinstance(dut, Resistor):
        return current_a * dut.resistance_ohm(temperature_c)
    return current_a * _OPEN_CIRCUIT_OHM

"""Simulated Agilent 33522B generator; its output drives the RC network on its fixture.

Its output is a voltage source behind 50 Ω (this unit's own value, drawn within ±2 % of the lab's table
:data:`instruments.accuracy.GENERATOR_OUTPUT`), with the amplitude off by the unit's error within ±1 % of the
setting ±1 mVpp. As on the real 33500, the levels set are what the *load setting* would see: with ``OUTP:LOAD 50``
(the power-on value) the open-circuit voltage is twice the setting; with ``OUTP:LOAD INF`` it is the setting.
"""

from __future__ import annotations

import math

from instruments.accuracy import GENERATOR_OUTPUT
from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import SquareDrive
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import ScpiError, format_number, parse_number, single_argument

__all__ = ["SimulatedAgilent33500"]

_SHAPES = ("SIN", "SQU", "TRI", "RAMP", "PULS", "PRBS", "NOIS", "ARB", "DC")
_MAX_LEVEL_V = 5.0
_OUT_OF_RANGE = (-222, "Data out of range")
_LOAD_SETTING_OHM = {"INF": math.inf, "50": 50.0}


class SimulatedAgilent33500(SimulatedInstrument):
    """Channel 1 of a 33522B (30 MHz, ±5 V into high impedance).

    Square and pulse drive the fixture as a square wave; DC and every other shape drive it with
    the offset only (the RC fixture is only ever driven by steps).
    """

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec, fixture, seed)
        self.choice_setting("shape", "FUNC", choices=_SHAPES, default="SIN")
        self.switch_setting("output", "OUTP", default=False)
        self.number_setting("frequency_hz", writes=("FREQ",), reads=("FREQ?",), low=1e-6, high=30e6, default=1e3)
        self.number_setting("amplitude_vpp", writes=("VOLT",), reads=("VOLT?",), low=1e-3, high=10.0, default=0.1)
        self.number_setting(
            "offset_v", writes=("VOLT:OFFS",), reads=("VOLT:OFFS?",), low=-_MAX_LEVEL_V, high=_MAX_LEVEL_V, default=0.0
        )
        self.number_setting(
            "square_duty_percent", writes=("FUNC:SQU:DCYC",), reads=("FUNC:SQU:DCYC?",), low=0.01, high=99.99,
            default=50.0,
        )  # fmt: skip
        self.number_setting(
            "pulse_width_s", writes=("FUNC:PULS:WIDT",), reads=("FUNC:PULS:WIDT?",), low=16e-9, high=1e6,
            default=1e-4,
        )  # fmt: skip
        self.number_setting("phase_deg", writes=("PHAS",), reads=("PHAS?",), low=-360.0, high=360.0, default=0.0)
        self.choice_setting("load", "OUTP:LOAD", choices=("INF", "50"), default="50")
        self.on("VOLT:HIGH", lambda arguments: self._set_levels(high=arguments))
        self.on("VOLT:LOW", lambda arguments: self._set_levels(low=arguments))
        self.on("VOLT:HIGH?", lambda _: format_number(self._levels()[1]))
        self.on("VOLT:LOW?", lambda _: format_number(self._levels()[0]))
        tolerance = GENERATOR_OUTPUT.impedance_tolerance
        self.source_ohm = GENERATOR_OUTPUT.impedance_ohm * (1 + self.unit_errors.within("output impedance", tolerance))
        fixture.drive_source = self.drive

    def drive(self) -> SquareDrive:
        """Get the waveform at the output connector now: open-circuit levels behind the unit's source resistance."""
        if not self.settings["output"]:
            return SquareDrive(low_v=0.0, high_v=0.0, period_s=0.0, source_ohm=self.source_ohm)
        low, high = self._open_circuit_levels()
        period_s = 1.0 / float(self.settings["frequency_hz"])
        shape = self.settings["shape"]
        if shape == "SQU":
            duty = float(self.settings["square_duty_percent"]) / 100
            return SquareDrive(low, high, period_s, duty, self.source_ohm)
        if shape == "PULS":
            duty = min(float(self.settings["pulse_width_s"]) / period_s, 0.9999)
            return SquareDrive(low, high, period_s, duty, self.source_ohm)
        offset = (low + high) / 2
        return SquareDrive(low_v=offset, high_v=offset, period_s=0.0, source_ohm=self.source_ohm)

    def _open_circuit_levels(self) -> tuple[float, float]:
        """The true low and high open-circuit voltages: the settings, scaled for the load setting, amplitude erring."""
        offset, amplitude = float(self.settings["offset_v"]), float(self.settings["amplitude_vpp"])
        amplitude = amplitude * (1 + self.unit_errors.within("amplitude gain", GENERATOR_OUTPUT.amplitude_of_setting))
        amplitude += self.unit_errors.within("amplitude offset", GENERATOR_OUTPUT.amplitude_v)
        # The 33500 scales its output so that the load it is told of sees the setting.
        load_ohm = _LOAD_SETTING_OHM[str(self.settings["load"])]
        to_open_circuit = 1.0 if math.isinf(load_ohm) else (GENERATOR_OUTPUT.impedance_ohm + load_ohm) / load_ohm
        return to_open_circuit * (offset - amplitude / 2), to_open_circuit * (offset + amplitude / 2)

    def _levels(self) -> tuple[float, float]:
        offset, amplitude = float(self.settings["offset_v"]), float(self.settings["amplitude_vpp"])
        return offset - amplitude / 2, offset + amplitude / 2

    def _set_levels(self, *, low: list[str] | None = None, high: list[str] | None = None) -> None:
        """Set the high or low level, keeping the other, as the 33500 does."""
        current_low, current_high = self._levels()
        new_low = parse_number(single_argument(low), -_MAX_LEVEL_V, _MAX_LEVEL_V) if low else current_low
        new_high = parse_number(single_argument(high), -_MAX_LEVEL_V, _MAX_LEVEL_V) if high else current_high
        if new_high - new_low < 1e-3:
            raise ScpiError(_OUT_OF_RANGE)
        self.settings["amplitude_vpp"] = new_high - new_low
        self.settings["offset_v"] = (new_high + new_low) / 2

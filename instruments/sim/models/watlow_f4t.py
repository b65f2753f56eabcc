"""Simulated Watlow F4T chamber: air temperature follows the setpoint with a first-order lag."""

from __future__ import annotations

import math
import time

from instruments.sim.config import InstrumentSpec
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import format_number, parse_number, single_argument

__all__ = ["SimulatedWatlowF4T"]

_RANGE_C = (-70.0, 180.0)


class SimulatedWatlowF4T(SimulatedInstrument):
    """An F4T on control loop 1; it sets the temperature of the fixture it is cabled to.

    Option ``time_constant_s`` (default 0.2 s, a fast chamber so tests stay quick) sets the lag.
    """

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec, fixture, seed)
        self.time_constant_s = spec.options.get("time_constant_s", 0.2)
        self._setpoint_c = fixture.ambient_temperature_c
        self._start_c = fixture.ambient_temperature_c
        self._changed_at = time.monotonic()
        fixture.temperature_source = self.air_temperature_c
        self.on(":SOUR:CLO1:SPO", self._set_setpoint)
        self.on(":SOUR:CLO1:SPO?", lambda _: format_number(self._setpoint_c))
        self.on(":SOUR:CLO1:PVAL?", lambda _: format_number(round(self.air_temperature_c(), 2)))

    def air_temperature_c(self) -> float:
        """Get the true air temperature in °C now."""
        elapsed = time.monotonic() - self._changed_at
        weight = math.exp(-elapsed / self.time_constant_s) if self.time_constant_s > 0 else 0.0
        return self._setpoint_c + (self._start_c - self._setpoint_c) * weight

    def _set_setpoint(self, arguments: list[str]) -> None:
        target = parse_number(single_argument(arguments), *_RANGE_C)
        self._start_c = self.air_temperature_c()
        self._changed_at = time.monotonic()
        self._setpoint_c = target

"""Simulated Watlow F4T chamber: air temperature follows the setpoint with a first-order lag.

The chamber's sensor errs as its class allows (:data:`instruments.accuracy.CHAMBER_SENSOR`, class A Pt100:
±(0.15 + 0.002 |t|) °C): the unit drew a gain error within ±0.002 and an offset within ±0.15 °C. The F4T controls
on its sensor, so what it reports settles at the setpoint while the true air temperature (the DUT's, which
``bench.temperature_c`` gives) settles where the sensor reads the setpoint.

``:UNIT:TEMPerature C|F`` sets the units of every temperature on the Ethernet interface, as on the F4T (user's
manual, appendix "Communications"; the chamber makers' SCPI tables): once it is ``F``, a setpoint is taken and the
setpoint and process value are answered in °F; back to ``C``, in °C. The chamber itself keeps °C; the setpoint's
range is the chamber's (-70 to 180 °C, -94 to 356 °F) in either units.
"""

from __future__ import annotations

import math
from typing import ClassVar

from instruments.accuracy import CHAMBER_SENSOR
from instruments.sim.clock import SimulatedClock
from instruments.sim.config import InstrumentSpec
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import (
    DATA_OUT_OF_RANGE,
    Call,
    Choice,
    Command,
    CommandTree,
    Numeric,
    ScpiError,
    Setting,
    error_queries,
    ieee488_commands,
)

__all__ = ["SimulatedWatlowF4T"]

_CHAMBER_RANGE_C = (-70.0, 180.0)
_UNITS_KEY = "temperature_units"
_FAHRENHEIT = "F"


def _fahrenheit(celsius: float) -> float:
    return celsius * 9 / 5 + 32


#: A setpoint in the interface's units: any number either units may take, checked against the chamber's range in
#: °C once converted (a parameter cannot know the units set). The F4T takes a plain number, no unit suffix.
_SETPOINT = Numeric(_fahrenheit(_CHAMBER_RANGE_C[0]), _fahrenheit(_CHAMBER_RANGE_C[1]))


class SimulatedWatlowF4T(SimulatedInstrument):
    """An F4T on control loop 1; it sets the temperature of the fixture it is cabled to.

    Option ``time_constant_s`` (default 0.2 s, a fast chamber so tests stay quick) sets the lag, in seconds of the
    bench's clock (:mod:`instruments.sim.clock`): the chamber settles ``time_scale`` times as fast on the wall clock.
    """

    def __init__(
        self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int], *, clock: SimulatedClock | None = None
    ) -> None:
        super().__init__(spec, fixture, seed, clock=clock)
        self.time_constant_s = spec.options.get("time_constant_s", 0.2)
        sensor, span = self.function("air sensor", CHAMBER_SENSOR), CHAMBER_SENSOR.ranges[0]
        self._sensor_gain, self._sensor_offset_c = sensor.gain(span), sensor.offset(span)
        self._setpoint_c = fixture.ambient_temperature_c
        self._start_c = self._held_c()  # the chamber has long held its standby setpoint when the bench starts
        self._changed_at = self.clock.now_s()
        fixture.temperature_source = self.air_temperature_c

    def sensor_reading_c(self) -> float:
        """Get what the chamber's sensor reads now, in °C: the air temperature with the sensor's error."""
        return self.air_temperature_c() * (1 + self._sensor_gain) + self._sensor_offset_c

    def air_temperature_c(self) -> float:
        """Get the true air temperature in °C now."""
        target_c = self._held_c()
        elapsed = self.clock.now_s() - self._changed_at
        weight = math.exp(-elapsed / self.time_constant_s) if self.time_constant_s > 0 else 0.0
        return target_c + (self._start_c - target_c) * weight

    def _held_c(self) -> float:
        """The true air temperature the chamber settles at: the controller holds its sensor at the setpoint."""
        return (self._setpoint_c - self._sensor_offset_c) / (1 + self._sensor_gain)

    def _in_fahrenheit(self) -> bool:
        return self.settings[_UNITS_KEY] == _FAHRENHEIT

    def _to_interface(self, celsius: float) -> float:
        """A temperature in °C as the Ethernet interface states it, in the units set."""
        return _fahrenheit(celsius) if self._in_fahrenheit() else celsius

    def _from_interface(self, value: float) -> float:
        """A temperature the Ethernet interface was given, in the units set, in °C."""
        return (value - 32) * 5 / 9 if self._in_fahrenheit() else value

    def _set_setpoint(self, call: Call) -> None:
        setpoint_c = self._from_interface(call.number(0))
        low_c, high_c = _CHAMBER_RANGE_C
        if not low_c <= setpoint_c <= high_c:
            raise ScpiError(DATA_OUT_OF_RANGE)
        self._start_c = self.air_temperature_c()
        self._changed_at = self.clock.now_s()
        self._setpoint_c = setpoint_c

    def _setpoint(self, call: Call) -> str:
        return self.tree.replies.number(self._to_interface(self._setpoint_c))

    def _process_value(self, call: Call) -> str:
        return self.tree.replies.number(round(self._to_interface(self.sensor_reading_c()), 2))

    commands: ClassVar[CommandTree[SimulatedWatlowF4T]] = CommandTree(
        [
            *ieee488_commands(),
            *error_queries(),
            Command(":SOURce:CLOop<1>:SPOint", _set_setpoint, (_SETPOINT,)),
            Command(":SOURce:CLOop<1>:SPOint?", _setpoint),
            Command(":SOURce:CLOop<1>:PVALue?", _process_value),
            # The units of every temperature on the Ethernet interface; the chamber's own state stays in °C.
            Setting(":UNIT:TEMPerature", _UNITS_KEY, Choice(("C", _FAHRENHEIT)), "C"),
        ]
    )

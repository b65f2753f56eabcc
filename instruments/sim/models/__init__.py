"""Simulated instrument models, one per driver the lab knows."""

from __future__ import annotations

from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.models.agilent33500 import SimulatedAgilent33500
from instruments.sim.models.agilent34410a import SimulatedAgilent34410A
from instruments.sim.models.agilente4980 import SimulatedAgilentE4980
from instruments.sim.models.keithley2450 import SimulatedKeithley2450
from instruments.sim.models.keysight_dsox3024t import SimulatedDSOX3024T
from instruments.sim.models.watlow_f4t import SimulatedWatlowF4T

__all__ = ["SIMULATIONS"]

#: Driver name -> the simulation that answers that driver.
SIMULATIONS: dict[str, type[SimulatedInstrument]] = {
    "keithley2450": SimulatedKeithley2450,
    "agilent34410a": SimulatedAgilent34410A,
    "agilent33500": SimulatedAgilent33500,
    "agilente4980": SimulatedAgilentE4980,
    "keysight_dsox3024t": SimulatedDSOX3024T,
    "watlow_f4t": SimulatedWatlowF4T,
}

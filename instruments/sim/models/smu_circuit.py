"""What a source-measure unit's output sees: the DUT on its fixture, through the leads when it senses at its terminals.

With remote sense (four-wire) the SMU regulates and measures the voltage at the DUT, so the leads are outside the
loop. Two-wire, it regulates and measures at its own terminals, and both leads are in series with the DUT.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from instruments.sim.duts import DeviceUnderTest, Diode, Resistor

__all__ = ["OPEN_CIRCUIT_OHM", "OperatingPoint", "sourcing_current", "sourcing_voltage"]

#: What an empty fixture looks like to the SMU.
OPEN_CIRCUIT_OHM = 1e12


@dataclass(frozen=True, slots=True)
class OperatingPoint:
    """Where the output settles: the voltage at the sense point (V) and the current through the DUT (A)."""

    sensed_v: float
    current_a: float
    in_limit: bool = False


def _leads_ohm(dut: DeviceUnderTest | None, *, four_wire: bool) -> float:
    if four_wire or not isinstance(dut, Diode | Resistor):
        return 0.0
    return 2 * dut.lead_resistance_ohm


def _current_through(dut: DeviceUnderTest | None, voltage_v: float, temperature_c: float, leads_ohm: float) -> float:
    if isinstance(dut, Diode):
        in_series = dataclasses.replace(dut, series_resistance_ohm=dut.series_resistance_ohm + leads_ohm)
        return in_series.current_a(voltage_v, temperature_c)
    if isinstance(dut, Resistor):
        return voltage_v / (dut.resistance_ohm(temperature_c) + leads_ohm)
    return voltage_v / OPEN_CIRCUIT_OHM


def _voltage_across(dut: DeviceUnderTest | None, current_a: float, temperature_c: float, leads_ohm: float) -> float:
    if isinstance(dut, Diode):
        return dut.voltage_v(current_a, temperature_c) + current_a * leads_ohm
    if isinstance(dut, Resistor):
        return current_a * (dut.resistance_ohm(temperature_c) + leads_ohm)
    return current_a * OPEN_CIRCUIT_OHM


def sourcing_voltage(
    dut: DeviceUnderTest | None, output_v: float, limit_a: float, temperature_c: float, *, four_wire: bool
) -> OperatingPoint:
    """Get the operating point of a voltage source at ``output_v`` with a current limit of ``limit_a``.

    In the limit the SMU becomes a current source at the limit, and the voltage falls to what drives that current.
    """
    leads = _leads_ohm(dut, four_wire=four_wire)
    current = _current_through(dut, output_v, temperature_c, leads)
    if abs(current) <= limit_a:
        return OperatingPoint(output_v, current)
    clamped = math.copysign(limit_a, current)
    return OperatingPoint(_voltage_across(dut, clamped, temperature_c, leads), clamped, in_limit=True)


def sourcing_current(
    dut: DeviceUnderTest | None, output_a: float, limit_v: float, temperature_c: float, *, four_wire: bool
) -> OperatingPoint:
    """Get the operating point of a current source at ``output_a`` with a voltage limit of ``limit_v``."""
    leads = _leads_ohm(dut, four_wire=four_wire)
    voltage = _voltage_across(dut, output_a, temperature_c, leads)
    if abs(voltage) <= limit_v:
        return OperatingPoint(voltage, output_a)
    clamped = math.copysign(limit_v, voltage)
    return OperatingPoint(clamped, _current_through(dut, clamped, temperature_c, leads), in_limit=True)

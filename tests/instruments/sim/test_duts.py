"""The devices under test obey their physics: tests of analysis can trust the truth."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from instruments.sim.duts import Capacitor, Diode, RCNetwork, Resistor, SquareDrive

pytestmark = pytest.mark.unit
DIODE = Diode("1N4148", saturation_current_a=2.52e-9, ideality_factor=1.752, series_resistance_ohm=0.568)


@given(st.floats(min_value=-5.0, max_value=2.0))
def test_the_diode_current_satisfies_shockley_with_series_resistance(voltage_v: float) -> None:
    current = DIODE.current_a(voltage_v, 25.0)
    a = DIODE.ideality_factor * DIODE.thermal_voltage_v(25.0)
    junction_v = voltage_v - current * DIODE.series_resistance_ohm
    expected = DIODE.saturation_current_at(25.0) * math.expm1(junction_v / a)
    assert current == pytest.approx(expected, rel=1e-9, abs=1e-18)


@given(st.floats(min_value=1e-9, max_value=1.0))
def test_sourcing_current_gives_back_the_voltage_that_draws_it(current_a: float) -> None:
    assert DIODE.current_a(DIODE.voltage_v(current_a, 25.0), 25.0) == pytest.approx(current_a, rel=1e-8)


def test_a_warmer_diode_conducts_more_at_the_same_voltage_through_kt_over_q() -> None:
    assert DIODE.current_a(0.3, 85.0) > DIODE.current_a(0.3, 25.0)


def test_the_resistor_follows_its_temperature_coefficient() -> None:
    resistor = Resistor("R", r0_ohm=1000.0, alpha_per_k=0.00385, reference_temperature_c=25.0)
    assert resistor.resistance_ohm(125.0) == pytest.approx(1385.0)


def test_the_rc_step_reaches_63_percent_after_one_time_constant() -> None:
    rc = RCNetwork("RC", resistance_ohm=1e4, capacitance_f=1e-8)
    drive = SquareDrive(low_v=0.0, high_v=1.0, period_s=1e-2)
    times = np.array([0.0, rc.time_constant_s, 5e-3, 5e-3 + rc.time_constant_s])
    volts = rc.response_v(drive, times)
    np.testing.assert_allclose(volts, [0.0, 1 - math.exp(-1), 1.0, math.exp(-1)], atol=1e-9)


def test_a_fast_square_wave_settles_to_a_periodic_ripple_around_the_mean() -> None:
    rc = RCNetwork("RC", resistance_ohm=1e4, capacitance_f=1e-6)
    volts = rc.response_v(SquareDrive(0.0, 1.0, 1e-4), np.linspace(0, 1e-4, 1001))
    assert volts.mean() == pytest.approx(0.5, abs=0.01)
    assert volts[0] == pytest.approx(volts[-1], abs=1e-9)


def test_the_capacitor_loses_more_at_high_frequency_through_its_esr() -> None:
    capacitor = Capacitor("C", capacitance_f=1e-7, loss_tangent=0.012, esr_ohm=0.05)
    assert capacitor.dissipation_factor(100.0) == pytest.approx(0.012, rel=1e-3)
    expected_d = 0.012 + 2 * math.pi * 1e5 * 1e-7 * 0.05
    assert capacitor.dissipation_factor(1e5) == pytest.approx(expected_d, rel=1e-3)
    # The loss tangent is a parallel conductance: Cp stays C while the ESR is negligible.
    assert capacitor.parallel_capacitance_f(1e3) == pytest.approx(1e-7, rel=1e-4)


def test_the_loaded_rc_is_first_order_with_the_source_in_series_and_the_input_across_c() -> None:
    rc = RCNetwork("RC", resistance_ohm=1e4, capacitance_f=1e-8)
    drive = SquareDrive(low_v=0.0, high_v=1.0, period_s=1e-2, source_ohm=50.0)
    circuit = rc.in_circuit(drive, input_ohm=1e6, input_f=14e-12)
    series = 1e4 + 50.0
    assert circuit.time_constant_s == pytest.approx(series * 1e6 / (series + 1e6) * (1e-8 + 14e-12), rel=1e-12)
    assert circuit.dc_gain == pytest.approx(1e6 / (series + 1e6), rel=1e-12)
    assert circuit.step_v == pytest.approx(circuit.dc_gain)
    assert circuit.rise_time_s == pytest.approx(circuit.time_constant_s * math.log(9))
    times = np.array([0.0, circuit.time_constant_s, 5e-3, 5e-3 + circuit.time_constant_s])
    volts = rc.response_v(drive, times, input_ohm=1e6, input_f=14e-12)
    gain = circuit.dc_gain
    np.testing.assert_allclose(volts, [0.0, gain * (1 - math.exp(-1)), gain, gain * math.exp(-1)], atol=1e-9)


def test_without_source_or_load_the_circuit_is_the_network_alone() -> None:
    rc = RCNetwork("RC", resistance_ohm=1e4, capacitance_f=1e-8)
    circuit = rc.in_circuit(SquareDrive(low_v=0.0, high_v=2.0, period_s=1e-2))
    assert circuit.time_constant_s == rc.time_constant_s
    assert (circuit.dc_gain, circuit.low_v, circuit.high_v) == (1.0, 0.0, 2.0)

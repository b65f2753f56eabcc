"""The simulated instruments err as real ones do: within their datasheets, each unit its own way, and the
circuit they are cabled into (leads, source resistance, scope input) shows in what they read."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest
import pyvisa

from instruments.accuracy import MODEL_ACCURACY
from instruments.sim import Diode, Resistor, SimulatedBench, load_bench_spec

pytestmark = pytest.mark.integration

SMU = MODEL_ACCURACY["keithley2450"]
DMM_RESISTANCE = MODEL_ACCURACY["agilent34410a"]["resistance_4w"]
Sessions = dict[str, pyvisa.resources.MessageBasedResource]


def _open(bench: SimulatedBench, manager: pyvisa.ResourceManager) -> Sessions:
    return {
        tag: manager.open_resource(bench.resource(tag), read_termination="\n", write_termination="\n", timeout=2000)
        for tag in bench.asset_tags
    }


@pytest.fixture
def visa(bench: SimulatedBench) -> Iterator[Sessions]:
    manager = pyvisa.ResourceManager("@py")
    sessions = _open(bench, manager)
    yield sessions
    for session in sessions.values():
        session.close()


def _four_wire_ohm(seed: int, readings: int = 20) -> tuple[float, float]:
    """The mean of four-wire readings of the demo resistor on a bench with ``seed``, and its true value."""
    with SimulatedBench(dataclasses.replace(load_bench_spec(), seed=seed), base_port=0) as bench:
        manager = pyvisa.ResourceManager("@py")
        session = _open(bench, manager)["DMM-01"]
        try:
            mean = float(np.mean([float(session.query("MEAS:FRES? DEF,DEF")) for _ in range(readings)]))
        finally:
            session.close()
        resistor = bench.truth("FX-RESISTOR")
        assert isinstance(resistor, Resistor)
        return mean, resistor.resistance_ohm(bench.temperature_c("FX-RESISTOR"))


def test_one_bench_seed_reads_the_same_resistor_the_same_and_another_seed_is_another_meter() -> None:
    (first, truth), (again, _), (other, other_truth) = _four_wire_ohm(4), _four_wire_ohm(4), _four_wire_ohm(5)
    noise = DMM_RESISTANCE.range_for(1000.0).noise + 0.002  # the meter's and the resistor's, per reading
    assert again == pytest.approx(first, abs=noise)
    # Two units' gain and offset errors (and two chambers' sensors) differ by far more than the noise.
    assert abs(other - first) > noise
    for reading, true_ohm in ((first, truth), (other, other_truth)):
        assert reading == pytest.approx(true_ohm, abs=noise + DMM_RESISTANCE.half_width(true_ohm))


def test_the_dmm_reads_overload_on_a_range_too_small_and_the_value_on_one_that_holds_it(visa: Sessions) -> None:
    dmm = visa["DMM-01"]
    assert float(dmm.query("MEAS:FRES? 100,DEF")) == 9.9e37
    assert float(dmm.query("MEAS:FRES? 1000,DEF")) == pytest.approx(float(dmm.query("MEAS:FRES? DEF,DEF")), abs=0.1)
    assert dmm.query("SYST:ERR?") == '+0,"No error"'


def _diode_point(smu: pyvisa.resources.MessageBasedResource, *, remote_sense: bool) -> tuple[float, float]:
    smu.write(f":SENS:CURR:RSEN {'ON' if remote_sense else 'OFF'};:OUTP ON")
    current, voltage = (float(value) for value in smu.query(':READ? "defbuffer1", READ, SOUR').split(","))
    smu.write(":OUTP OFF;:SENS:CURR:RSEN OFF")
    return current, voltage


def test_two_wire_the_leads_are_in_series_with_the_diode_and_four_wire_they_are_not(
    bench: SimulatedBench, visa: Sessions
) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.1;:SENS:FUNC 'CURR';:SOUR:VOLT:LEV 0.8")
    four_wire_a, four_wire_v = _diode_point(smu, remote_sense=True)
    two_wire_a, two_wire_v = _diode_point(smu, remote_sense=False)
    diode = bench.truth("SMU-01")
    assert isinstance(diode, Diode)
    temperature = bench.temperature_c("SMU-01")
    in_series = diode.series_resistance_ohm + 2 * diode.lead_resistance_ohm
    leads = dataclasses.replace(diode, series_resistance_ohm=in_series)
    # One source setting: both read the same voltage, at the diode four-wire and at the terminals two-wire...
    assert two_wire_v == pytest.approx(four_wire_v, abs=5 * SMU["voltage"].range_for(0.8).noise)
    # ... but two-wire the leads' drop is lost from the diode: less current, as the leads in series would give.
    voltage_error = SMU["voltage"].half_width(0.8) + 5 * SMU["voltage"].range_for(0.8).noise
    span = SMU["current"].range_for(four_wire_a)
    current_error = span.half_width(four_wire_a) + 5 * span.noise
    assert two_wire_a < four_wire_a - 2 * current_error
    assert leads.current_a(two_wire_v - voltage_error, temperature) - current_error <= two_wire_a
    assert two_wire_a <= leads.current_a(two_wire_v + voltage_error, temperature) + current_error
    assert diode.current_a(four_wire_v - voltage_error, temperature) - current_error <= four_wire_a
    assert four_wire_a <= diode.current_a(four_wire_v + voltage_error, temperature) + current_error


def test_with_readback_off_the_source_value_is_the_setpoint(visa: Sessions) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.1;:SENS:FUNC 'CURR';:SOUR:VOLT:LEV 0.5;:SOUR:VOLT:READ:BACK OFF")
    _, setpoint = _diode_point(smu, remote_sense=True)
    smu.write(":SOUR:VOLT:READ:BACK ON")
    _, measured = _diode_point(smu, remote_sense=True)
    assert setpoint == 0.5
    assert measured != 0.5
    assert measured == pytest.approx(0.5, abs=2 * SMU["voltage"].half_width(0.5) + 5 * SMU["voltage"].ranges[2].noise)


def test_the_smu_measures_voltage_and_current_with_meas_queries(visa: Sessions) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.1;:SOUR:VOLT:LEV 0.7;:OUTP ON")
    voltage, current = float(smu.query(":MEAS:VOLT?")), float(smu.query(":MEAS:CURR?"))
    smu.write(":OUTP OFF")
    assert voltage == pytest.approx(0.7, abs=2 * SMU["voltage"].half_width(0.7) + 1e-4)
    assert 1e-4 < current < 0.1
    assert smu.query(":SENS:FUNC?") == '"CURR:DC"'  # as the 2450 answers: a string, with the optional node


def test_the_generator_doubles_its_open_circuit_level_for_a_50_ohm_load_setting(visa: Sessions) -> None:
    awg, scope = visa["AWG-01"], visa["SCOPE-01"]

    def high_level(load: str) -> float:
        awg.write(f"OUTP:LOAD {load};:FUNC SQU;:FREQ 1000;:VOLT:HIGH 1;LOW 0;:OUTP 1")
        scope.write(":TIM:SCAL 1e-5;:CHAN2:SCAL 0.5;:CHAN2:OFFS 1;:WAV:SOUR CHAN2;:WAV:FORM ASC;:WAV:POIN 1000;:DIG")
        values = [float(v) for v in scope.query(":WAV:DATA?")[10:].split(",")]
        awg.write("OUTP 0")
        return float(np.median(values[600:]))  # the record's last 40 %, well after the rising edge

    assert high_level("INF") == pytest.approx(1.0, abs=0.05)
    assert high_level("50") == pytest.approx(2.0, abs=0.08)


def test_the_in_circuit_truth_needs_a_scope_on_an_rc_network(bench: SimulatedBench) -> None:
    assert bench.circuit_truth("FX-RC") == bench.circuit_truth("AWG-01")
    with pytest.raises(KeyError, match="FX-DIODE"):
        bench.circuit_truth("FX-DIODE")

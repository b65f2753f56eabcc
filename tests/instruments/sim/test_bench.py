"""Every simulated instrument answers its SCPI over real TCP through pyvisa-py."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import pyvisa

from instruments.accuracy import CHAMBER_SENSOR, LCR_BASIC, MODEL_ACCURACY
from instruments.sim import BenchConfigError, Capacitor, Diode, Resistor, SimulatedBench, load_bench_spec

pytestmark = pytest.mark.integration

SMU_CURRENT = MODEL_ACCURACY["keithley2450"]["current"]
SMU_VOLTAGE = MODEL_ACCURACY["keithley2450"]["voltage"]
DMM_RESISTANCE = MODEL_ACCURACY["agilent34410a"]["resistance_4w"]


@pytest.fixture
def visa(bench: SimulatedBench) -> Iterator[dict[str, pyvisa.resources.MessageBasedResource]]:
    """Plain pyvisa sessions to every instrument (no PyMeasure in between)."""
    manager = pyvisa.ResourceManager("@py")
    sessions = {
        tag: manager.open_resource(bench.resource(tag), read_termination="\n", write_termination="\n", timeout=2000)
        for tag in bench.asset_tags
    }
    yield sessions
    for session in sessions.values():
        session.close()


def test_every_instrument_identifies_itself_as_the_bench_says(
    bench: SimulatedBench, visa: dict[str, pyvisa.resources.MessageBasedResource]
) -> None:
    for tag, session in visa.items():
        assert session.query("*IDN?") == bench.instrument_spec(tag).idn
        assert session.query("*OPC?") == "1"


def test_every_instrument_keeps_an_error_queue(visa: dict[str, pyvisa.resources.MessageBasedResource]) -> None:
    for session in visa.values():
        session.write("NOT:A:COMMAND")
        assert session.query("SYST:ERR?") == '-113,"Undefined header"'
        assert session.query("SYST:ERR?") == '+0,"No error"'


def _smu_current_error_a(current_a: float) -> float:
    """What a 2450 current reading may be off by: the datasheet accuracy of its range and 5 sigma of noise."""
    span = SMU_CURRENT.range_for(current_a)
    return span.half_width(current_a) + 5 * span.noise


def test_the_smu_reads_the_diode_current_at_the_source_voltage(
    bench: SimulatedBench, visa: dict[str, pyvisa.resources.MessageBasedResource]
) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.1;:SENS:FUNC 'CURR';:SOUR:VOLT:LEV 0.6;:OUTP ON")
    current = float(smu.query(":READ?"))
    smu.write(":OUTP OFF")
    diode = bench.truth("FX-DIODE")
    assert isinstance(diode, Diode)
    temperature = bench.temperature_c("SMU-01")
    expected = diode.current_a(0.6, temperature)
    # Two-wire, the leads are in series; the source gives 0.6 V within its accuracy; the reading errs too.
    source_error = SMU_VOLTAGE.half_width(0.6)
    assert diode.lead_resistance_ohm > 0
    leads_ohm = 2 * diode.lead_resistance_ohm
    with_leads = dataclasses.replace(diode, series_resistance_ohm=diode.series_resistance_ohm + leads_ohm)
    lowest = with_leads.current_a(0.6 - source_error, temperature)
    highest = diode.current_a(0.6 + source_error, temperature)
    assert lowest < expected < highest
    margin = _smu_current_error_a(highest) + 5 * diode.current_noise_a
    assert lowest - margin <= current <= highest + margin


def test_the_smu_reads_the_diode_current_at_the_voltage_it_senses_across_the_diode(
    bench: SimulatedBench, visa: dict[str, pyvisa.resources.MessageBasedResource]
) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.1;:SENS:FUNC 'CURR';:SENS:CURR:RSEN ON;:SOUR:VOLT:LEV 0.6;:OUTP ON")
    current, voltage = (float(value) for value in smu.query(':READ? "defbuffer1", READ, SOUR').split(","))
    smu.write(":OUTP OFF;:SENS:CURR:RSEN OFF")
    diode = bench.truth("FX-DIODE")
    assert isinstance(diode, Diode)
    temperature = bench.temperature_c("SMU-01")
    # Four-wire, the measured voltage is the diode's, within the 2 V range's accuracy and noise.
    voltage_error = SMU_VOLTAGE.half_width(voltage) + 5 * SMU_VOLTAGE.range_for(voltage).noise
    assert voltage == pytest.approx(0.6, abs=SMU_VOLTAGE.half_width(0.6) + voltage_error)
    lowest = diode.current_a(voltage - voltage_error, temperature)
    highest = diode.current_a(voltage + voltage_error, temperature)
    margin = _smu_current_error_a(highest) + 5 * diode.current_noise_a
    assert lowest - margin <= current <= highest + margin


def test_the_smu_holds_its_current_limit(visa: dict[str, pyvisa.resources.MessageBasedResource]) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.001;:SENS:FUNC 'CURR';:SOUR:VOLT:LEV 1.2;:OUTP ON")
    current, voltage = (float(value) for value in smu.query(':READ? "defbuffer1", READ, SOUR').split(","))
    assert current == pytest.approx(0.001, abs=1e-8 + _smu_current_error_a(0.001))
    assert voltage < 1.0  # in its limit the SMU sources the limit current, at whatever voltage that takes
    smu.write(":OUTP OFF")


def test_a_fixed_current_range_reads_past_its_full_scale_as_an_overflow(
    visa: dict[str, pyvisa.resources.MessageBasedResource],
) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.1;:SENS:FUNC 'CURR';:SENS:CURR:RANG 1e-5;:SOUR:VOLT:LEV 0.7;:OUTP ON")
    assert smu.query(":SENS:CURR:RANG:AUTO?") == "0"
    assert float(smu.query(":READ?")) == 9.9e37
    smu.write(":SENS:CURR:RANG:AUTO ON")
    assert 1e-4 < float(smu.query(":READ?")) < 0.1
    smu.write(":OUTP OFF")


def test_the_dmm_two_wire_reading_includes_the_leads(visa: dict[str, pyvisa.resources.MessageBasedResource]) -> None:
    dmm = visa["DMM-01"]
    four_wire = float(dmm.query("MEAS:FRES? DEF,DEF"))
    two_wire = float(dmm.query("MEAS:RES? DEF,DEF"))
    assert two_wire - four_wire == pytest.approx(0.3, abs=0.02)


def test_the_generator_keeps_high_and_low_levels(visa: dict[str, pyvisa.resources.MessageBasedResource]) -> None:
    awg = visa["AWG-01"]
    awg.write("FUNC SQU;:VOLT:HIGH 2;:VOLT:LOW -1")  # each from the root: VOLT:HIGH 2;LOW -1 says the same
    assert float(awg.query("VOLT?")) == pytest.approx(3.0)
    assert float(awg.query("VOLT:OFFS?")) == pytest.approx(0.5)
    awg.write("FREQ 50000000")
    assert awg.query("SYST:ERR?") == '-222,"Data out of range"'


def test_the_lcr_meter_reads_cp_and_d_of_the_capacitor(
    bench: SimulatedBench, visa: dict[str, pyvisa.resources.MessageBasedResource]
) -> None:
    lcr = visa["LCR-01"]
    lcr.write("FUNC:IMP:TYPE CPD;:FREQ:CW 100000")
    capacitance_f, dissipation, status = (float(value) for value in lcr.query(":FETCH?").split(","))
    truth = bench.truth("LCR-01")
    assert isinstance(truth, Capacitor)
    # Within the meter's basic accuracy Ae at 100 kHz for this |Z| (C relative, D absolute) and 5 sigma of noise.
    accuracy = LCR_BASIC.relative(1e5, abs(truth.impedance_ohm(1e5)))
    noise = 5 * truth.relative_noise
    assert capacitance_f == pytest.approx(truth.parallel_capacitance_f(1e5), rel=1e-3 + accuracy + noise)
    assert dissipation == pytest.approx(truth.dissipation_factor(1e5), rel=1e-3 + noise, abs=accuracy)
    assert status == 0


def test_the_chamber_warms_the_resistor_on_its_fixture(
    bench: SimulatedBench, visa: dict[str, pyvisa.resources.MessageBasedResource]
) -> None:
    visa["CHAMBER-01"].write(":SOUR:CLO1:SPO 85")
    deadline = time.monotonic() + 5
    while abs(float(visa["CHAMBER-01"].query(":SOUR:CLO1:PVAL?")) - 85) > 0.01 and time.monotonic() < deadline:
        time.sleep(0.02)
    resistance = float(visa["DMM-01"].query("MEAS:FRES? DEF,DEF"))
    truth = bench.truth("FX-RESISTOR")
    assert isinstance(truth, Resistor)
    # The chamber reads 85 °C within its sensor's accuracy; the resistor is at the true air temperature.
    air_c = bench.temperature_c("FX-RESISTOR")
    assert air_c == pytest.approx(85.0, abs=0.01 + CHAMBER_SENSOR.half_width(85.0))
    # 0.01 K of settling left is 0.04 ohm; the meter reads within its accuracy, with 0.002 ohm of noise.
    expected = truth.resistance_ohm(air_c)
    assert resistance == pytest.approx(expected, abs=0.06 + DMM_RESISTANCE.half_width(expected))
    assert resistance > 1200
    visa["CHAMBER-01"].write(":SOUR:CLO1:SPO 23")


def test_the_scope_sends_a_preamble_and_a_definite_length_block(
    visa: dict[str, pyvisa.resources.MessageBasedResource],
) -> None:
    scope = visa["SCOPE-01"]
    scope.write(":WAV:SOUR CHAN2;:WAV:FORM WORD;:WAV:BYT LSBF;:WAV:POIN 1000;:DIG CHAN2")
    preamble = scope.query(":WAV:PRE?").split(",")
    values = scope.query_binary_values(":WAV:DATA?", datatype="h", is_big_endian=False)
    assert int(preamble[0]) == 1
    assert int(preamble[2]) == len(values) == 1000


def test_ports_come_from_the_description_or_a_base_port() -> None:
    spec = load_bench_spec()
    assert [instrument.port for instrument in spec.instruments] == [5101, 5102, 5103, 5104, 5105, 5106, 5107]
    with SimulatedBench(spec, base_port=0) as bench:
        assert len({bench.port(tag) for tag in bench.asset_tags}) == 7


def test_a_bench_description_with_an_unknown_instrument_on_a_fixture_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bench.yaml"
    path.write_text("instruments: []\nfixtures:\n  - name: FX\n    instruments: [NOPE]\n", encoding="utf-8")
    with pytest.raises(BenchConfigError, match="NOPE"):
        load_bench_spec(path)


def test_the_truth_is_known_by_fixture_or_instrument(bench: SimulatedBench) -> None:
    assert bench.truth("FX-DIODE") is bench.truth("SMU-01")
    with pytest.raises(KeyError):
        bench.truth("NO-SUCH")

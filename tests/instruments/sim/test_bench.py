"""Every simulated instrument answers its SCPI over real TCP through pyvisa-py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import pyvisa

from instruments.sim import BenchConfigError, Capacitor, Diode, Resistor, SimulatedBench, load_bench_spec

pytestmark = pytest.mark.integration


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


def test_the_smu_reads_the_diode_current_at_the_source_voltage(
    bench: SimulatedBench, visa: dict[str, pyvisa.resources.MessageBasedResource]
) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.1;:SENS:FUNC 'CURR';:SOUR:VOLT:LEV 0.6;:OUTP ON")
    current = float(smu.query(":READ?"))
    smu.write(":OUTP OFF")
    diode = bench.truth("FX-DIODE")
    assert isinstance(diode, Diode)
    expected = diode.current_a(0.6, bench.temperature_c("SMU-01"))
    assert current == pytest.approx(expected, abs=5 * diode.current_noise_a)


def test_the_smu_holds_its_current_limit(visa: dict[str, pyvisa.resources.MessageBasedResource]) -> None:
    smu = visa["SMU-01"]
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT:ILIM 0.001;:SENS:FUNC 'CURR';:SOUR:VOLT:LEV 1.2;:OUTP ON")
    assert float(smu.query(":READ?")) == pytest.approx(0.001, abs=1e-8)
    smu.write(":OUTP OFF")


def test_the_dmm_two_wire_reading_includes_the_leads(visa: dict[str, pyvisa.resources.MessageBasedResource]) -> None:
    dmm = visa["DMM-01"]
    four_wire = float(dmm.query("MEAS:FRES? DEF,DEF"))
    two_wire = float(dmm.query("MEAS:RES? DEF,DEF"))
    assert two_wire - four_wire == pytest.approx(0.3, abs=0.02)


def test_the_generator_keeps_high_and_low_levels(visa: dict[str, pyvisa.resources.MessageBasedResource]) -> None:
    awg = visa["AWG-01"]
    awg.write("FUNC SQU;VOLT:HIGH 2;VOLT:LOW -1")
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
    assert capacitance_f == pytest.approx(truth.parallel_capacitance_f(1e5), rel=1e-3)
    assert dissipation == pytest.approx(truth.dissipation_factor(1e5), rel=1e-3)
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
    # 0.01 K of settling left is 0.04 ohm; the reading noise is 0.002 ohm.
    assert resistance == pytest.approx(truth.resistance_ohm(85.0), abs=0.06)
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

"""DIODE-IV measures the diode's voltage four-wire beside its current, and says how it set the SMU."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest

from instruments.accuracy import MODEL_ACCURACY
from instruments.drivers import use_instrument
from instruments.sim import Diode, SimulatedBench
from procedures.by_name import PROCEDURES
from procedures.diode_iv import DiodeIV
from procedures.runner import Ending, run_procedure
from procedures.sink import MemorySink

VOLTAGE = MODEL_ACCURACY["keithley2450"]["voltage"]
CURRENT = MODEL_ACCURACY["keithley2450"]["current"]


@pytest.fixture(scope="module")
def bench() -> Iterator[SimulatedBench]:
    with SimulatedBench.from_yaml(base_port=0) as running:
        yield running


@pytest.mark.integration
def test_the_voltage_column_is_measured_at_the_diode_and_the_setpoints_are_kept_beside_it(
    bench: SimulatedBench,
) -> None:
    sink = MemorySink()
    with use_instrument("keithley2450", bench.resource("SMU-01")) as smu:
        outcome = run_procedure(
            DiodeIV,
            instruments={"smu": smu.instrument},
            parameters={"points": 12, "start_voltage": 0.4, "stop_voltage": 0.8},
            sink=sink,
            abort=threading.Event(),
        )
        assert smu.instrument.current_remote_sense is True
    assert outcome.ending is Ending.COMPLETED
    assert sink.columns == {"source_voltage": "V", "voltage": "V", "current": "A"}
    setpoints, measured = sink.column("source_voltage"), sink.column("voltage")
    np.testing.assert_allclose(setpoints, np.linspace(0.4, 0.8, 12))
    # Measured, not copied: off the setpoint by the source's and the meter's errors, no more.
    assert not np.array_equal(measured, setpoints)
    for setpoint, voltage in zip(setpoints, measured, strict=True):
        span = VOLTAGE.range_for(setpoint)
        assert abs(voltage - setpoint) <= 2 * span.half_width(setpoint) + 5 * span.noise
    # The current is the diode's at the measured voltage, within the two readings' accuracy.
    diode = bench.truth("SMU-01")
    assert isinstance(diode, Diode)
    temperature = bench.temperature_c("SMU-01")
    for voltage, current in zip(measured, sink.column("current"), strict=True):
        voltage_error = VOLTAGE.half_width(voltage) + 5 * VOLTAGE.range_for(voltage).noise
        lowest = diode.current_a(voltage - voltage_error, temperature)
        highest = diode.current_a(voltage + voltage_error, temperature)
        span = CURRENT.range_for(highest)
        margin = span.half_width(highest) + 5 * (span.noise + diode.current_noise_a)
        assert lowest - margin <= current <= highest + margin


@pytest.mark.unit
def test_the_diode_sweep_reports_its_smu_settings_from_its_parameters() -> None:
    procedure = DiodeIV()
    procedure.set_parameters({"nplc": 10.0, "compliance_current": 0.05})
    assert procedure.instrument_settings() == {
        "smu": {
            "source_function": "voltage",
            "source_range": "auto",
            "current_limit_a": 0.05,
            "sense_function": "current",
            "current_range": "auto",
            "nplc": 10.0,
            "remote_sense": True,
            "source_readback": True,
        }
    }


@pytest.mark.unit
@pytest.mark.parametrize("name", sorted(PROCEDURES))
def test_every_procedure_reports_settings_for_each_instrument_it_drives(name: str) -> None:
    procedure = PROCEDURES[name]()
    assert set(procedure.instrument_settings()) == set(procedure.INSTRUMENT_KINDS)

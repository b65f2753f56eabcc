"""Every demo method runs on the simulated bench through a real VISA stack, and finds the mounted device's truth."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path

import h5py
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from instruments.accuracy import MODEL_ACCURACY
from instruments.sim import Capacitor, Diode, RCNetwork, Resistor, SimulatedBench, load_bench_spec
from labsys.db import Database
from labsys.runs.models import Run, RunStatus, Verdict
from labsys.stations import Station
from labsys.stations.analyses import PROGRAMS
from labsys.stations.visa import VisaConnector
from results.hdf5 import sha256_file
from tests.e2e.lab_on_bench import STATION, BenchLab

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SEEDS = (1, 2, 3)
SMU = MODEL_ACCURACY["keithley2450"]


@pytest.fixture(params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def bench(request: pytest.FixtureRequest) -> Iterator[SimulatedBench]:
    spec = dataclasses.replace(load_bench_spec(), seed=request.param)
    with SimulatedBench(spec, base_port=0) as bench:
        yield bench


def _run(engine: Engine, session: Session, tmp_path: Path, lab: BenchLab, code: str, **parameters: float) -> Run:
    run_id = lab.queue(session, code, **parameters)
    station = Station(
        name=STATION,
        db=Database(engine),
        data_dir=tmp_path,
        programs=PROGRAMS,
        connector=VisaConnector(timeout_ms=5000),
        progress_interval_s=0.2,
    )
    assert station.run_once() is not None
    run = session.get(Run, run_id, populate_existing=True)
    session.commit()
    assert run is not None
    assert run.status == RunStatus.COMPLETED, run.failure_reason
    path = tmp_path / str(run.hdf5_path)
    assert sha256_file(path) == run.hdf5_sha256
    with h5py.File(path, "r") as file:
        assert file["entry/status"][()].decode() == "completed"
    return run


def _within_u(run: Run, metric: str, truth: float, *, datasheet: float = 0.0) -> float:
    """How many expanded uncertainties the measured value lies from the truth.

    ``datasheet`` widens U by how far the instruments' datasheet errors alone may move the result, where the
    method's budget does not count them yet (the simulated instruments err within their datasheets).
    """
    measured = run.metrics[metric]
    assert measured["expanded_uncertainty"] is not None
    assert measured["expanded_uncertainty"] > 0
    return abs(measured["value"] - truth) / (measured["expanded_uncertainty"] + datasheet)


def test_the_diode_fit_finds_the_diodes_saturation_current_ideality_and_series_resistance(
    engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench
) -> None:
    lab = BenchLab.build(session, bench)
    run = _run(engine, session, tmp_path, lab, "DIODE-IV")
    diode = bench.truth("FX-DIODE")
    assert isinstance(diode, Diode)
    temperature = bench.temperature_c("FX-DIODE")
    # The budget counts the SMU's datasheet errors on the ranges used and the junction's temperature.
    truth = {
        "ideality_factor": diode.ideality_factor,
        "series_resistance": diode.series_resistance_ohm,
        "saturation_current": diode.saturation_current_at(temperature),
    }
    for metric, value in truth.items():
        assert _within_u(run, metric, value) <= 1, metric
    assert run.verdict == Verdict.PASS


def test_the_four_wire_sweep_finds_the_resistors_value_and_temperature_coefficient(
    engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench
) -> None:
    lab = BenchLab.build(session, bench)
    run = _run(engine, session, tmp_path, lab, "RES-4W-TCR", readings_per_step=5, temperature_steps=3)
    resistor = bench.truth("FX-RESISTOR")
    assert isinstance(resistor, Resistor)
    # The budget counts the meter's accuracy on the ranges used and the chamber sensor's class A error.
    r0, alpha = resistor.resistance_ohm(25.0), resistor.alpha_per_k
    assert _within_u(run, "resistance_at_reference", r0) <= 1
    assert _within_u(run, "temperature_coefficient", alpha) <= 1
    assert run.verdict == Verdict.PASS


def test_the_step_response_finds_the_rc_time_constant_and_rise_time(
    engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench
) -> None:
    lab = BenchLab.build(session, bench)
    run = _run(engine, session, tmp_path, lab, "STEP-RISE", records=2, record_points=200_000)
    network = bench.truth("FX-RC")
    assert isinstance(network, RCNetwork)
    # The scope sees the network driven through the generator's 50 Ω and loaded by its own 1 MΩ ∥ 14 pF.
    circuit = bench.circuit_truth("FX-RC")
    assert _within_u(run, "time_constant", circuit.time_constant_s) <= 1
    assert _within_u(run, "rise_time", circuit.rise_time_s) <= 1
    # The network alone (R × C) lies off by that loading, which the method's budget does not count yet.
    loading = abs(circuit.time_constant_s - network.time_constant_s)
    assert _within_u(run, "time_constant", network.time_constant_s, datasheet=loading) <= 1
    assert _within_u(run, "rise_time", network.time_constant_s * math.log(9), datasheet=loading * math.log(9)) <= 1
    assert run.metrics["overshoot"]["value"] <= run.metrics["overshoot"]["expanded_uncertainty"]
    assert run.verdict == Verdict.PASS


def test_the_lcr_readings_find_the_capacitance_and_dissipation_at_each_frequency(
    engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench
) -> None:
    lab = BenchLab.build(session, bench)
    run = _run(engine, session, tmp_path, lab, "CAP-CD")
    capacitor = bench.truth("FX-CAPACITOR")
    assert isinstance(capacitor, Capacitor)
    for frequency, label in ((100, "100Hz"), (1000, "1000Hz"), (10_000, "10000Hz"), (100_000, "100000Hz")):
        # The budget counts the meter's Ae at this frequency and |Z| (C relative, D absolute).
        assert _within_u(run, f"capacitance_{label}", capacitor.parallel_capacitance_f(frequency)) <= 1
        assert _within_u(run, f"dissipation_factor_{label}", capacitor.dissipation_factor(frequency)) <= 1
    assert run.verdict == Verdict.PASS

"""Faults and aborts on the simulated bench: the run ends clearly, the data so far is kept, the lab goes on."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import h5py
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from instruments.drivers import use_instrument
from instruments.sim import Fault, SimulatedBench
from labsys.audit import Actor
from labsys.db import Database
from labsys.runs import lifecycle
from labsys.runs.models import Run, RunStatus
from labsys.stations import Station
from labsys.stations.analyses import PROGRAMS
from labsys.stations.visa import VisaConnector
from tests.e2e.lab_on_bench import STATION, BenchLab

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def bench() -> Iterator[SimulatedBench]:
    with SimulatedBench.from_yaml(base_port=0) as bench:
        yield bench


# Long enough that a healthy reply on a loaded two-core machine is never taken for a fault
# (a 400 ms limit once cut a sweep short under CI load), short enough that a mute SMU fails the run soon.
REPLY_TIMEOUT_MS = 2000


@pytest.fixture
def station(engine: Engine, tmp_path: Path) -> Station:
    return Station(
        name=STATION,
        db=Database(engine),
        data_dir=tmp_path,
        programs=PROGRAMS,
        connector=VisaConnector(timeout_ms=REPLY_TIMEOUT_MS),
        progress_interval_s=0.05,
    )


def _stored(session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id, populate_existing=True)
    session.commit()  # never hold SQLite's write lock while the station works
    assert run is not None
    return run


def _start(station: Station) -> threading.Thread:
    worker = threading.Thread(target=station.run_once)
    worker.start()
    return worker


def _wait_for_progress(session: Session, run_id: int) -> None:
    deadline = time.monotonic() + 30
    while _stored(session, run_id).progress < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _stored(session, run_id).progress >= 3


def _smu_output_on(bench: SimulatedBench) -> bool:
    with use_instrument("keithley2450", bench.resource("SMU-01")) as smu:
        return str(smu.instrument.ask(":OUTP?")).strip() == "1"


def _rows(path: Path) -> int:
    with h5py.File(path, "r") as file:
        return int(file["entry/data/voltage"].shape[0])


@pytest.mark.parametrize("fault", [Fault.NO_REPLY, Fault.GARBAGE])
def test_an_instrument_fault_mid_run_fails_it_with_the_reason_and_the_next_run_completes(
    engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench, station: Station, fault: Fault
) -> None:
    lab = BenchLab.build(session, bench)
    run_id = lab.queue(session, "DIODE-IV", points=1001)
    worker = _start(station)
    _wait_for_progress(session, run_id)
    bench.inject("SMU-01", fault)
    worker.join(timeout=60)
    run = _stored(session, run_id)
    assert run.status == RunStatus.FAILED
    assert "Instrument" in run.failure_reason
    path = tmp_path / str(run.hdf5_path)
    assert 0 < _rows(path) < 1001
    assert run.rows_committed == _rows(path)
    bench.clear_faults("SMU-01")
    assert _smu_output_on(bench) is False or fault is Fault.NO_REPLY  # a mute SMU could not be told: see below
    next_id = lab.queue(session, "DIODE-IV")
    station.run_once()
    assert _stored(session, next_id).status == RunStatus.COMPLETED
    assert _smu_output_on(bench) is False


def test_a_dropped_connection_mid_waveform_fails_the_run_and_the_scope_serves_the_next(
    engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench, station: Station
) -> None:
    lab = BenchLab.build(session, bench)
    run_id = lab.queue(session, "STEP-RISE", records=3, record_points=200_000)
    bench.inject("SCOPE-01", Fault.DROP_MID_BLOCK)
    station.run_once()
    run = _stored(session, run_id)
    assert run.status == RunStatus.FAILED
    assert "Disconnected" in run.failure_reason or "broke off" in run.failure_reason
    with h5py.File(tmp_path / str(run.hdf5_path), "r") as file:
        assert file["entry/status"][()].decode() == "failed"
    bench.clear_faults("SCOPE-01")
    next_id = lab.queue(session, "STEP-RISE", records=1, record_points=200_000)
    station.run_once()
    assert _stored(session, next_id).status == RunStatus.COMPLETED


def test_an_abort_mid_sweep_ends_it_aborted_with_the_smu_output_off_and_the_data_readable(
    engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench, station: Station
) -> None:
    lab = BenchLab.build(session, bench)
    run_id = lab.queue(session, "DIODE-IV", points=1001)
    worker = _start(station)
    _wait_for_progress(session, run_id)
    lifecycle.request_abort(session=session, run_id=run_id, actor=Actor(lab.engineer.email, lab.engineer.id))
    session.commit()
    worker.join(timeout=60)
    run = _stored(session, run_id)
    assert run.status == RunStatus.ABORTED
    assert _smu_output_on(bench) is False
    path = tmp_path / str(run.hdf5_path)
    assert 0 < _rows(path) < 1001
    with h5py.File(path, "r") as file:
        assert file["entry/status"][()].decode() == "aborted"


def test_every_run_file_opens_with_stock_h5dump_without_plugins(
    engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench, station: Station
) -> None:
    h5dump = shutil.which("h5dump")
    assert h5dump is not None, "h5dump (Debian hdf5-tools) is needed: .ci/run installs it"
    lab = BenchLab.build(session, bench)
    ids = [lab.queue(session, "CAP-CD"), lab.queue(session, "STEP-RISE", records=1, record_points=10_000)]
    for _ in ids:
        station.run_once()
    for run_id in ids:
        path = tmp_path / str(_stored(session, run_id).hdf5_path)
        header = subprocess.run([h5dump, "-H", str(path)], capture_output=True, text=True, check=True, timeout=60)
        assert 'GROUP "entry"' in header.stdout
        assert "NX_class" in header.stdout

"""A station runs claimed runs to their end: data in HDF5, verdicts, faults, abort, and restarts."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import h5py
import numpy as np
import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.app import create_app
from labsys.audit import Actor
from labsys.bookings.no_show import sweep_no_shows
from labsys.db import Database
from labsys.equipment.models import InstrumentStatus
from labsys.runs import lifecycle, queueing
from labsys.runs.models import AnalysisTrigger, Run, RunAnalysis, RunCreate, RunStatus, Verdict
from labsys.settings import Settings
from labsys.stations import Station
from results.hdf5 import open_run, read_column, sha256_file
from tests.conftest import TestDatabase
from tests.factories import PASSWORD, make_lab
from tests.labsys.runs.conftest import ReadyBooking, make_ready_booking
from tests.labsys.runs.received import add_received_booking
from tests.labsys.stations.programs import SWEEP_METHOD, FakeConnector, FakeSource, program, refusing_program

pytestmark = pytest.mark.integration


@pytest.fixture
def ready(session: Session) -> ReadyBooking:
    return make_ready_booking(session, method_in=SWEEP_METHOD)


def _queue(session: Session, ready: ReadyBooking, **parameters: float) -> int:
    run = queueing.queue_run(
        session=session,
        run_in=RunCreate(booking=ready.booking.id or 0, sample=ready.sample.id or 0, parameters=parameters),
        engineer=ready.engineer,
        actor=Actor(ready.engineer.email, ready.engineer.id),
        today=date.today(),  # noqa: DTZ011 - the fixture's instruments are calibrated around today
    )
    session.commit()
    return run.id or 0


def _station(engine: Engine, tmp_path: Path, source: FakeSource, **connector: str) -> Station:
    return Station(
        name="station-1",
        db=Database(engine),
        data_dir=tmp_path,
        programs={"sweep": program},
        connector=FakeConnector(source, **connector),
        poll_s=0.05,
        progress_interval_s=0.05,
    )


def _stored(session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id, populate_existing=True)
    assert run is not None
    session.commit()  # on SQLite every transaction holds the write lock: never leave one open while a station works
    return run


def test_a_completed_run_has_its_file_digest_metrics_and_verdict(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run_id = _queue(session, ready, slope=0.001, blocks=3)
    source = FakeSource()
    outcome = _station(engine, tmp_path, source).run_once()
    assert outcome is not None
    run = _stored(session, run_id)
    assert (run.status, run.verdict, run.progress) == (RunStatus.COMPLETED, Verdict.PASS, 100.0)
    assert run.metrics["slope"]["value"] == pytest.approx(0.001)
    assert run.metrics["slope"]["verdict"] == "pass"
    assert run.metrics["slope"]["upper_limit"] == 0.002
    path = tmp_path / str(run.hdf5_path)
    assert sha256_file(path) == run.hdf5_sha256
    info = open_run(path)
    assert info.entry["status"] == "completed"
    assert info.entry["method_code"] == "SWEEP"
    assert info.parameters["slope"].value == 0.001
    assert info.instruments["SMU-station-1"]["firmware"] == "1.0.0-fake"
    smu = next(i for i in ready.instruments if i.asset_tag == "SMU-station-1")  # as the record had it at the start
    assert info.instruments["SMU-station-1"]["calibration_certificate"] == smu.calibration_certificate
    assert info.instruments["SMU-station-1"]["calibration_date"] == str(smu.calibrated_on)
    assert read_column(path, "voltage").size == 30_000
    assert run.rows_committed == 30_000
    assert source.output_on is False
    assert source.closed == 1


def test_a_completed_run_is_analysed_from_its_closed_file_and_the_analysis_is_its_first_version(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run_id = _queue(session, ready, slope=0.001, blocks=2)
    _station(engine, tmp_path, FakeSource()).run_once()
    run = _stored(session, run_id)

    info = open_run(tmp_path / str(run.hdf5_path))
    process = info.analysis_process
    assert process is not None
    assert process.program == "tests.labsys.stations.programs._analyse"
    assert process.parameters["blocks"].value == 2.0
    assert process.constants["fit_order"].value == 1
    assert info.metrics["slope"].value == run.metrics["slope"]["value"]
    (version,) = session.exec(select(RunAnalysis).where(RunAnalysis.run_id == run_id)).all()
    assert (version.version, version.triggered_by, version.actor) == (1, AnalysisTrigger.STATION, "station:station-1")
    assert (version.metrics, version.verdict) == (run.metrics, run.verdict)
    assert version.file_sha256 == run.hdf5_sha256 == sha256_file(tmp_path / str(run.hdf5_path))
    assert version.inputs["constants"] == {"fit_order": {"value": 1, "units": "1"}}


def test_an_analysis_that_fails_fails_the_run_with_the_reason_and_keeps_its_data_readable(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run_id = _queue(session, ready, blocks=3)
    station = _station(engine, tmp_path, FakeSource())
    station.programs = {"sweep": refusing_program}

    station.run_once()

    run = _stored(session, run_id)
    assert run.status == RunStatus.FAILED
    assert run.failure_reason == "the analysis failed: ValueError: the fit did not converge"
    assert (run.metrics, run.verdict) == ({}, None)
    path = tmp_path / str(run.hdf5_path)
    assert sha256_file(path) == run.hdf5_sha256
    info = open_run(path)
    assert (info.status, info.metrics) == ("failed", {})
    assert read_column(path, "voltage").size == run.rows_committed == 30_000
    assert session.exec(select(RunAnalysis).where(RunAnalysis.run_id == run_id)).all() == []


def test_a_result_outside_the_limits_fails_the_verdict(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run_id = _queue(session, ready, slope=0.01, blocks=1)
    _station(engine, tmp_path, FakeSource()).run_once()
    run = _stored(session, run_id)
    assert (run.status, run.verdict) == (RunStatus.COMPLETED, Verdict.FAIL)


def test_an_instrument_timeout_mid_run_fails_it_with_the_reason_and_keeps_the_data_so_far(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run_id = _queue(session, ready, blocks=5)
    source = FakeSource()
    source.fail_at_block = 3
    station = _station(engine, tmp_path, source)
    station.run_once()
    run = _stored(session, run_id)
    assert run.status == RunStatus.FAILED
    assert "did not answer within 2000 ms" in run.failure_reason
    assert run.verdict is None
    path = tmp_path / str(run.hdf5_path)
    assert sha256_file(path) == run.hdf5_sha256
    assert open_run(path).entry["status"] == "failed"
    assert read_column(path, "voltage").size == 30_000
    assert source.output_on is False
    assert source.closed == 1
    # the instrument is free and the station serves the next run
    source.fail_at_block = -1
    next_id = _queue(session, ready, blocks=1)
    station.run_once()
    assert _stored(session, next_id).status == RunStatus.COMPLETED


def test_an_abort_mid_run_ends_it_aborted_with_the_output_off_and_the_data_readable(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run_id = _queue(session, ready, blocks=200, block_delay=0.02)
    source = FakeSource()
    station = _station(engine, tmp_path, source)
    worker = threading.Thread(target=station.run_once)
    worker.start()
    deadline = time.monotonic() + 20
    while _stored(session, run_id).progress < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    lifecycle.request_abort(session=session, run_id=run_id, actor=Actor("engineer@lab.example.com"))
    session.commit()
    worker.join(timeout=30)
    run = _stored(session, run_id)
    assert run.status == RunStatus.ABORTED
    assert source.output_on is False
    rows = read_column(tmp_path / str(run.hdf5_path), "voltage").size
    assert 0 < rows < 2_000_000
    assert rows % 10_000 == 0


def test_an_instrument_whose_identity_does_not_match_is_refused(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run_id = _queue(session, ready, blocks=1)
    _station(engine, tmp_path, FakeSource(), serial="SOMEONE-ELSE").run_once()
    run = _stored(session, run_id)
    assert run.status == RunStatus.FAILED
    assert "SOMEONE-ELSE" in run.failure_reason


def test_a_run_of_a_method_the_station_cannot_run_fails_with_the_reason(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run_id = _queue(session, ready, blocks=1)
    station = _station(engine, tmp_path, FakeSource())
    station.programs = {}
    station.run_once()
    assert "no procedure 'sweep'" in _stored(session, run_id).failure_reason


def test_a_serving_station_picks_up_queued_runs(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    station = _station(engine, tmp_path, FakeSource())
    station.start()
    try:
        ids = [_queue(session, ready, blocks=1) for _ in range(3)]
        deadline = time.monotonic() + 30
        while any(_stored(session, i).status != RunStatus.COMPLETED for i in ids) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        station.stop()
    assert [_stored(session, i).status for i in ids] == [RunStatus.COMPLETED] * 3


def test_files_open_with_stock_h5py(engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking) -> None:
    run_id = _queue(session, ready, blocks=2)
    _station(engine, tmp_path, FakeSource()).run_once()
    with h5py.File(tmp_path / str(_stored(session, run_id).hdf5_path), "r") as file:
        current = file["entry/data/current"]
        assert current.attrs["units"] == "A"
        assert np.allclose(current[:10], 0.001 * file["entry/data/voltage"][:10])


def _kill_station_once(
    session: Session, test_database: TestDatabase, data_dir: Path, run_id: int, *, rows: int
) -> tuple[int, datetime]:
    """Start a station in a process of its own, SIGKILL it once the run has committed ``rows`` rows; the rows it
    had reported then, and when it was killed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.labsys.stations.killable_station", test_database.standalone_url, str(data_dir)]
    )
    try:
        deadline = time.monotonic() + 60
        while _stored(session, run_id).rows_committed < rows and time.monotonic() < deadline:
            time.sleep(0.05)
        committed = _stored(session, run_id).rows_committed
        assert committed >= rows
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    return committed, datetime.now(UTC)


@pytest.mark.slow
def test_a_station_killed_mid_run_leaves_it_interrupted_with_every_flushed_block_readable(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking, test_database: TestDatabase
) -> None:
    run_id = _queue(session, ready, blocks=10_000, block_delay=0.01)
    committed, killed_at = _kill_station_once(session, test_database, tmp_path, run_id, rows=50_000)
    assert _stored(session, run_id).status == RunStatus.RUNNING  # nobody told the database
    assert _station(engine, tmp_path, FakeSource()).recover() == [run_id]
    run = _stored(session, run_id)
    assert run.status == RunStatus.INTERRUPTED
    assert "stopped while the run was in progress" in run.failure_reason
    path = tmp_path / str(run.hdf5_path)
    with h5py.File(path, "r") as file:
        voltage = file["entry/data/voltage"][:]
        assert file["entry/status"][()].decode() == "running"
    assert voltage.size >= committed
    blocks = voltage.size // 10_000
    expected = np.concatenate([np.linspace(b, b + 1, 10_000, endpoint=False) for b in range(blocks)])
    assert np.array_equal(voltage[: blocks * 10_000], expected)
    assert (run.rows_committed, run.hdf5_sha256) == (voltage.size, sha256_file(path))
    assert run.started_at is not None
    assert run.finished_at is not None
    assert run.started_at < run.finished_at <= killed_at  # when its last block was written, not the restart


@pytest.mark.slow
def test_a_run_killed_while_it_waits_for_its_next_block_keeps_the_rows_handed_over_its_digest_and_its_last_write(
    engine: Engine, session: Session, settings: Settings, ready: ReadyBooking, test_database: TestDatabase
) -> None:
    # As a temperature method does: a few rows, then minutes until the next step. Killed at 25 %.
    run_id = _queue(session, ready, blocks=4, block_rows=10, block_delay=600)
    _, killed_at = _kill_station_once(session, test_database, settings.data_dir, run_id, rows=10)
    time.sleep(1.0)  # the station comes back a while later
    _station(engine, settings.data_dir, FakeSource()).recover()

    run = _stored(session, run_id)
    path = settings.data_dir / str(run.hdf5_path)
    assert (run.status, run.progress) == (RunStatus.INTERRUPTED, 25.0)
    assert read_column(path, "voltage").tolist() == np.linspace(0, 1, 10, endpoint=False).tolist()
    assert (run.rows_committed, run.hdf5_sha256) == (10, sha256_file(path))
    assert run.finished_at is not None
    assert run.finished_at <= killed_at
    assert "its file keeps the 10 points written before the stop" in run.failure_reason
    with TestClient(create_app(settings, db=Database(engine))) as client:
        token = client.post("/api/auth/token", json={"email": ready.customer.email, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        answer = client.get(f"/api/runs/{run_id}", headers=headers).json()
        data = client.get(f"/api/runs/{run_id}/data", headers=headers)
    assert (answer["status"], answer["rows_committed"], answer["hdf5_sha256"]) == ("interrupted", 10, run.hdf5_sha256)
    assert datetime.fromisoformat(answer["finished_at"]) == run.finished_at
    assert hashlib.sha256(data.content).hexdigest() == run.hdf5_sha256


@pytest.mark.parametrize("lapse", ["calibration", "status"])
def test_a_run_whose_instrument_lapsed_while_it_waited_is_not_started(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking, lapse: str
) -> None:
    run_id = _queue(session, ready, slope=0.001, blocks=3)
    instrument = ready.instruments[0]
    if lapse == "calibration":  # the calibration ran out while the run was queued
        instrument.calibration_due = date.today() - timedelta(days=1)  # noqa: DTZ011 - as the fixture's dates
    else:
        instrument.status = InstrumentStatus.MAINTENANCE
    session.add(instrument)
    session.commit()
    source = FakeSource()

    outcome = _station(engine, tmp_path, source).run_once()

    assert outcome is not None
    run = _stored(session, run_id)
    assert run.status == RunStatus.FAILED
    assert instrument.asset_tag in run.failure_reason
    assert run.failure_reason.startswith("not started:")
    assert run.hdf5_path is None  # no instrument was touched, no file written
    assert source.closed == 0  # never opened


def test_an_idle_station_releases_no_shows_once_a_minute(engine: Engine, tmp_path: Path, session: Session) -> None:
    lab = make_lab(session)
    booking, _ = add_received_booking(
        session,
        method=lab.methods["DIODE-IV"],
        customer=lab.customer,
        engineer=lab.engineer,
        instruments=[lab.instruments["SMU-01"]],
        start=datetime.now(UTC) - timedelta(hours=2),
        sample=("S-1", "diode", "intact"),
    )
    session.commit()
    db = Database(engine)
    sweeps: list[list[int]] = []
    station = Station(
        name="station-1",
        db=db,
        data_dir=tmp_path,
        programs={},
        connector=FakeConnector(FakeSource()),
        poll_s=0.02,
        housekeeping=lambda: sweeps.append(sweep_no_shows(db, grace=timedelta(hours=1))),
    )
    station.start()
    time.sleep(0.5)  # many idle polls, within one minute
    station.stop()
    assert sweeps == [[booking.id]]

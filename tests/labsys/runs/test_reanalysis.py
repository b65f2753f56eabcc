"""A completed run is analysed again from its stored file alone; the new version is kept beside the first, and the
run, its result and its file stay as they were."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import h5py
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from labsys.audit import Actor, AuditEvent, verify_chain
from labsys.db import Database
from labsys.errors import Conflict
from labsys.runs import queueing
from labsys.runs.analysis import MethodAnalysis
from labsys.runs.models import AnalysisTrigger, Run, RunAnalysis, RunCreate, RunStatus
from labsys.runs.reanalysis import Reanalysis, reanalyse_run
from labsys.stations import Station
from results.analysis import Metric
from results.hdf5 import RunData, sha256_file
from tests.labsys.runs.conftest import ReadyBooking, make_ready_booking
from tests.labsys.stations.programs import SWEEP_METHOD, FakeConnector, FakeSource, program

pytestmark = pytest.mark.integration

ENGINEER = Actor("engineer@lab.example.com")


@pytest.fixture
def ready(session: Session) -> ReadyBooking:
    return make_ready_booking(session, method_in=SWEEP_METHOD)


def _run(engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking, **parameters: float) -> Run:
    run = queueing.queue_run(
        session=session,
        run_in=RunCreate(booking=ready.booking.id or 0, sample=ready.sample.id or 0, parameters=parameters),
        engineer=ready.engineer,
        actor=Actor(ready.engineer.email, ready.engineer.id),
        today=date.today(),  # noqa: DTZ011 - the fixture's instruments are calibrated around today
    )
    session.commit()
    station = Station(
        name="station-1",
        db=Database(engine),
        data_dir=tmp_path,
        programs={"sweep": program},
        connector=FakeConnector(FakeSource()),
        progress_interval_s=0.05,
    )
    station.run_once()
    stored = session.get(Run, run.id, populate_existing=True)
    session.commit()
    assert stored is not None
    return stored


def _reanalyse(engine: Engine, tmp_path: Path, run: Run, analysis: MethodAnalysis = program.analysis) -> Reanalysis:
    return reanalyse_run(
        db=Database(engine), data_dir=tmp_path, run_id=run.id or 0, analyses={"sweep": analysis}, actor=ENGINEER
    )


def test_a_reanalysis_reproduces_the_stations_result_from_the_file_and_is_kept_as_version_2(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run = _run(engine, session, tmp_path, ready, blocks=2)
    path = tmp_path / str(run.hdf5_path)
    before = path.read_bytes()

    done = _reanalyse(engine, tmp_path, run)

    assert done.reproduces
    assert [(m.name, m.agreement) for m in done.metrics] == [("slope", "same")]
    assert (done.reference.version, done.new.version) == (1, 2)
    assert done.new.metrics == done.reference.metrics == run.metrics
    assert (done.new.triggered_by, done.new.actor) == (AnalysisTrigger.REANALYSIS, ENGINEER.name)
    assert done.new.program == "tests.labsys.stations.programs._analyse"
    assert path.read_bytes() == before  # the file a certificate cites is never touched
    versions = session.exec(select(RunAnalysis).where(RunAnalysis.run_id == run.id).order_by(col(RunAnalysis.version)))
    assert [v.version for v in versions] == [1, 2]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "run.reanalysed")).one()
    assert event.after is not None
    assert (event.entity_id, event.after["version"], event.after["reproduces_version_1"]) == (str(run.id), 2, True)
    assert verify_chain(session)[1] is None


def _tripled(data: RunData, parameters: Mapping[str, float]) -> dict[str, Metric]:
    slope = program.analyse(data, parameters)["slope"]
    return {"slope": Metric("slope", 3 * slope.value, slope.expanded_uncertainty, 2.0, "A/V")}


def test_a_reanalysis_that_differs_is_kept_and_reported_but_never_changes_the_runs_result(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run = _run(engine, session, tmp_path, ready, blocks=1)

    done = _reanalyse(engine, tmp_path, run, MethodAnalysis(_tripled))
    again = _reanalyse(engine, tmp_path, run)

    assert not done.agrees
    assert done.metrics[0].agreement == "differs"
    assert done.new.verdict == "fail"  # 0.003 A/V is past the method's limit
    assert (again.new.version, again.reproduces) == (3, True)
    unchanged = session.get(Run, run.id, populate_existing=True)
    assert unchanged is not None
    assert (unchanged.metrics, unchanged.verdict, unchanged.hdf5_sha256) == (run.metrics, run.verdict, run.hdf5_sha256)


def test_a_file_changed_since_the_run_ended_is_not_reanalysed(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run = _run(engine, session, tmp_path, ready, blocks=1)
    with h5py.File(tmp_path / str(run.hdf5_path), "r+") as file:
        file["entry/data/current"][0] = 1.0

    with pytest.raises(Conflict, match="not the one recorded"):
        _reanalyse(engine, tmp_path, run)

    assert sha256_file(tmp_path / str(run.hdf5_path)) != run.hdf5_sha256
    assert len(session.exec(select(RunAnalysis).where(RunAnalysis.run_id == run.id)).all()) == 1


def test_only_a_completed_run_is_reanalysed(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run = _run(engine, session, tmp_path, ready, blocks=1)
    run.status = RunStatus.ABORTED  # as if it had been stopped: its file holds part of a run
    session.add(run)
    session.commit()

    with pytest.raises(Conflict, match="only a completed run"):
        _reanalyse(engine, tmp_path, run)

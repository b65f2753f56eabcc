"""``labsys runs reanalyse`` reproduces, from the stored file alone, the metrics every demo method's station found on
the simulated bench, and keeps them as the run's version 2."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from instruments.sim import SimulatedBench, load_bench_spec
from labsys.db import Database
from labsys.migrations import upgrade
from labsys.runs.models import Run, RunAnalysis, RunStatus
from labsys.stations import Station
from labsys.stations.analyses import PROGRAMS
from labsys.stations.visa import VisaConnector
from results.hdf5 import sha256_file
from tests.conftest import TestDatabase
from tests.e2e.lab_on_bench import STATION, BenchLab

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: Each demo method with parameters that keep its run short; STEP-RISE long enough to be read in many chunks.
METHODS: dict[str, dict[str, float]] = {
    "DIODE-IV": {},
    "RES-4W-TCR": {"readings_per_step": 5, "temperature_steps": 3},
    "STEP-RISE": {"records": 2, "record_points": 400_000},
    "CAP-CD": {},
}


@pytest.fixture
def bench() -> Iterator[SimulatedBench]:
    with SimulatedBench(dataclasses.replace(load_bench_spec(), seed=2), base_port=0) as bench:
        yield bench


@pytest.fixture
def migrated(test_database: TestDatabase) -> Iterator[Engine]:
    """The test's database, built by the migrations as ``labsys`` builds it."""
    engine = test_database.engine()
    upgrade(engine)
    yield engine
    engine.dispose()


def _labsys(database: TestDatabase, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABSYS_DATABASE_URL": database.standalone_url, "LABSYS_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "labsys", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.parametrize("code", list(METHODS))
def test_a_reanalysis_reproduces_the_stations_metrics_from_the_file_alone(
    code: str, migrated: Engine, test_database: TestDatabase, tmp_path: Path, bench: SimulatedBench
) -> None:
    with Session(migrated, expire_on_commit=False) as session:
        run_id = BenchLab.build(session, bench).queue(session, code, **METHODS[code])
    station = Station(
        name=STATION,
        db=Database(migrated),
        data_dir=tmp_path,
        programs=PROGRAMS,
        connector=VisaConnector(timeout_ms=5000),
        progress_interval_s=0.2,
    )
    assert station.run_once() is not None
    with Session(migrated) as session:
        run = session.get(Run, run_id)
        assert run is not None
        assert run.status == RunStatus.COMPLETED, run.failure_reason
    digest = sha256_file(tmp_path / str(run.hdf5_path))

    done = _labsys(test_database, tmp_path, "runs", "reanalyse", str(run_id), "--by", "engineer@lab.example.com")

    assert done.returncode == 0, done.stderr
    assert "version 2 reproduces version 1." in done.stdout
    assert "The run's result stays version 1" in done.stdout
    with Session(migrated) as session:
        versions = session.exec(
            select(RunAnalysis).where(RunAnalysis.run_id == run_id).order_by(col(RunAnalysis.version))
        ).all()
        unchanged = session.get(Run, run_id)
    assert unchanged is not None
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].metrics == versions[0].metrics == unchanged.metrics == run.metrics
    assert versions[1].verdict == unchanged.verdict == run.verdict
    assert versions[1].program == versions[0].program != ""
    assert sha256_file(tmp_path / str(run.hdf5_path)) == digest == unchanged.hdf5_sha256
    for name in run.metrics:
        assert any(line.startswith(name) and line.endswith("same") for line in done.stdout.splitlines()), name

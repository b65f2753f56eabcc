"""The live preview a station stores while a run progresses: a few hundred min/max points of the data so far,
fed block by block as the sink writes the file (no copy of the data kept), cleared when the run ends."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from labsys.audit import Actor
from labsys.db import Database
from labsys.runs import queueing
from labsys.runs.models import Run, RunCreate, RunStatus
from labsys.stations import Station
from labsys.stations.live import LivePreview, RowBuckets
from tests.labsys.runs.conftest import ReadyBooking, make_ready_booking
from tests.labsys.stations.programs import SWEEP_METHOD, FakeConnector, FakeSource, program


def test_rows_folded_in_block_by_block_are_the_min_and_max_of_equal_buckets() -> None:
    rng = np.random.default_rng(7)
    buckets = RowBuckets(limit=50)
    x_all, y_all = [], []
    for size in rng.integers(1, 900, size=40):
        x, y = np.arange(sum(map(len, x_all)), sum(map(len, x_all)) + size, dtype=np.float64), rng.normal(size=size)
        buckets.add(x, y)
        x_all.append(x)
        y_all.append(y)
    x, y = np.concatenate(x_all), np.concatenate(y_all)
    edges = np.arange(0, x.size, buckets.size)

    assert buckets.rows == x.size
    assert edges.size <= 50
    assert np.array_equal(buckets.y_min, np.minimum.reduceat(y, edges))
    assert np.array_equal(buckets.y_max, np.maximum.reduceat(y, edges))
    assert np.allclose(buckets.bucket_x(), np.add.reduceat(x, edges) / np.diff(np.append(edges, x.size)))


def test_the_preview_of_rows_is_the_signal_against_the_axis_with_their_units() -> None:
    live = LivePreview(buckets=100)
    live.define_columns({"voltage": "V", "current": "A"}, axis="voltage", signal="current")
    assert live.update() is None  # nothing measured yet

    live.add_rows({"voltage": np.linspace(0, 1, 1000), "current": np.linspace(0, 1e-3, 1000)})
    preview = live.update()

    assert preview is not None
    assert (preview["series"], preview["x_units"], preview["y_units"]) == ("data/current", "V", "A")
    assert preview["source_points"] == 1000
    assert len(preview["x"]) == len(preview["y_min"]) == len(preview["y_max"]) <= 100
    assert preview["y_max"][-1] == pytest.approx(1e-3)
    assert live.update() is None  # nothing new


def test_the_preview_of_waveforms_is_the_latest_record_in_physical_units() -> None:
    live = LivePreview(buckets=100)
    raw = (np.sin(np.linspace(0, 20, 100_000)) * 30_000).astype(np.int16)
    live.add_waveform("step_1", raw // 2, scale=1e-4, offset=0.0, t0=-1e-3, dt=1e-8, y_units="V")
    live.add_waveform("step_2", raw[:60_000], scale=1e-4, offset=0.5, t0=-1e-3, dt=1e-8, y_units="V")
    live.add_waveform("step_2", raw[60_000:], scale=1e-4, offset=0.5, t0=-1e-3, dt=1e-8, y_units="V")

    preview = live.update()

    assert preview is not None
    assert preview["series"] == "waveforms/step_2"
    assert preview["source_points"] == 100_000
    assert len(preview["x"]) <= 100
    assert max(preview["y_max"]) == pytest.approx(3.5, abs=1e-3)
    assert min(preview["y_min"]) == pytest.approx(-2.5, abs=1e-3)
    assert preview["x"][0] == pytest.approx(-1e-3, abs=1e-5)
    assert preview["x"][-1] == pytest.approx(-1e-3 + 1e-8 * 100_000, abs=1e-5)
    assert (preview["x_units"], preview["y_units"]) == ("s", "V")
    assert live.update() is None  # nothing new


def test_a_waveform_block_is_reduced_when_it_arrives_and_not_kept() -> None:
    live = LivePreview(buckets=200)
    raw = np.random.default_rng(1).integers(-30_000, 30_000, size=4_000_000).astype(np.int16)

    live.add_waveform("step_1", raw, scale=1e-4, offset=0.0, t0=0.0, dt=1e-9, y_units="V")
    raw[:] = 0  # the procedure's buffer, reused: the preview is already made of what arrived
    preview = live.update()

    assert preview is not None
    assert max(preview["y_max"]) > 2.9


@pytest.fixture
def ready(session: Session) -> ReadyBooking:
    return make_ready_booking(session, method_in=SWEEP_METHOD)


def _stored(session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id, populate_existing=True)
    assert run is not None
    session.commit()  # never hold SQLite's lock while the station writes
    return run


@pytest.mark.integration
def test_a_running_run_stores_a_live_preview_of_its_data_so_far_and_drops_it_when_it_ends(
    engine: Engine, session: Session, tmp_path: Path, ready: ReadyBooking
) -> None:
    run = queueing.queue_run(
        session=session,
        run_in=RunCreate(
            booking=ready.booking.id or 0, sample=ready.sample.id or 0, parameters={"blocks": 30, "block_delay": 0.05}
        ),
        engineer=ready.engineer,
        actor=Actor(ready.engineer.email, ready.engineer.id),
        today=date.today(),  # noqa: DTZ011 - the fixture's instruments are calibrated around today
    )
    session.commit()
    run_id = run.id or 0
    station = Station(
        name="station-1",
        db=Database(engine),
        data_dir=tmp_path,
        programs={"sweep": program},
        connector=FakeConnector(FakeSource()),
        progress_interval_s=0.05,
    )
    worker = threading.Thread(target=station.run_once)
    worker.start()
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while worker.is_alive() and time.monotonic() < deadline:
        stored = _stored(session, run_id)
        if stored.status == RunStatus.RUNNING and stored.live_preview:
            seen.append(stored.live_preview)
        time.sleep(0.05)
    worker.join(timeout=30)

    assert len({p["source_points"] for p in seen}) >= 3  # it grew as blocks arrived
    growing = [p["source_points"] for p in seen]
    assert growing == sorted(growing)
    latest = seen[-1]
    assert latest["series"] == "data/current"
    assert (latest["x_units"], latest["y_units"]) == ("V", "A")
    assert len(latest["x"]) <= 200
    assert max(latest["y_max"]) == pytest.approx(0.001 * latest["source_points"] / 10_000, rel=1e-3)
    ended = _stored(session, run_id)
    assert ended.status == RunStatus.COMPLETED
    assert ended.live_preview is None

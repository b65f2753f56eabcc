"""A received booking with a run queued on it, and the station's steps (claim, progress, end) played by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from sqlmodel import Session

from labsys.runs import lifecycle
from labsys.runs.data import run_file_path
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import RunStatus, Verdict
from labsys.settings import Settings
from results.hdf5 import RunEntry, RunFileWriter, SampleInfo
from tests.api.pages.conftest import Client
from tests.api.pages.engineers.booked import Login
from tests.labsys.runs.conftest import ReadyBooking, make_ready_booking

__all__ = ["LIVE_PREVIEW", "claim", "complete", "queue", "report"]

#: What a station stores while a diode sweep is half done.
LIVE_PREVIEW: dict[str, Any] = {
    "series": "data/current",
    "x": [0.3, 0.4, 0.5],
    "y_min": [1e-9, 2e-7, 3e-5],
    "y_max": [1e-9, 2e-7, 3e-5],
    "x_units": "V",
    "y_units": "A",
    "source_points": 3,
}


@pytest.fixture
def ready(session: Session) -> ReadyBooking:
    """A received DIODE-IV booking with its SMU on station-1 and a qualified engineer."""
    return make_ready_booking(session)


def queue(client: Client, login: Login, ready: ReadyBooking) -> int:
    """Queue a run of the booking at the method's defaults, through the API."""
    body = {"booking": ready.booking.id, "sample": ready.sample.id}
    response = client.post("/api/runs", json=body, headers=login(ready.engineer))
    assert response.status_code == 202, response.text
    return int(response.json()["id"])


def claim(session: Session, run_id: int) -> None:
    """The station takes the run."""
    run = lifecycle.claim_next_run(session=session, station="station-1")
    assert run is not None
    assert run.id == run_id
    session.commit()


def report(session: Session, run_id: int, percent: float, preview: dict[str, Any] | None = None) -> None:
    """The station reports progress (and a live preview)."""
    lifecycle.record_progress(session=session, run_id=run_id, progress=percent, rows_committed=3, live_preview=preview)
    session.commit()


def complete(session: Session, settings: Settings, run_id: int) -> str:
    """The station ends the run completed, with a file of one sweep, a metric and a verdict; the file's digest."""
    path = run_file_path(settings.data_dir, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = RunEntry(str(run_id), "B-1", "DIODE-IV", "1", datetime.now(UTC), "engineer", "0.1.0")
    with RunFileWriter.create(path, entry, SampleInfo("S-1", "diode", "intact"), [], {}) as writer:
        writer.define_columns({"voltage": "V", "current": "A"}, axis="voltage", signal="current")
        voltage = np.linspace(0.3, 0.85, 56)
        writer.append_rows({"voltage": voltage, "current": 1e-12 * np.exp(voltage / 0.03)})
        digest = writer.close("completed")
    metrics = {
        "ideality_factor": {
            "value": 1.05, "expanded_uncertainty": 0.02, "coverage_factor": 2.0, "units": "",
            "lower_limit": 1.0, "upper_limit": 2.0, "verdict": "pass",
        }
    }  # fmt: skip
    outcome = RunOutcome(
        RunStatus.COMPLETED,
        metrics=metrics,
        verdict=Verdict.PASS,
        hdf5_path=str(path.relative_to(settings.data_dir)),
        hdf5_sha256=digest,
        rows_committed=56,
    )
    lifecycle.finish_run(session=session, run_id=run_id, outcome=outcome)
    session.commit()
    return digest

"""Runs over HTTP: queueing, following, abort, the data download and previews."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlmodel import Session

from labsys.companies.models import Role, User
from labsys.runs import lifecycle
from labsys.runs.data import run_file_path
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import RunStatus
from labsys.settings import Settings
from results.hdf5 import RunEntry, RunFileWriter, SampleInfo
from tests.api.conftest import Client
from tests.api.pages.engineers.booked import received, starts
from tests.factories import Lab, make_company, make_user
from tests.labsys.runs.conftest import ReadyBooking, make_ready_booking

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


@pytest.fixture
def ready(session: Session) -> ReadyBooking:
    return make_ready_booking(session)


def _queue(client: Client, ready: ReadyBooking, login: Login, **parameters: float) -> dict[str, object]:
    body = {"booking": ready.booking.id, "sample": ready.sample.id, "parameters": parameters}
    response = client.post("/api/runs", json=body, headers=login(ready.engineer))
    assert response.status_code == 202, response.text
    return dict(response.json())


def _complete_with_a_waveform(session: Session, settings: Settings, run_id: int, points: int) -> str:
    """Claim the run as a station would and end it with a file holding one waveform."""
    run = lifecycle.claim_next_run(session=session, station="station-1")
    assert run is not None
    assert run.id == run_id
    path = run_file_path(settings.data_dir, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = RunEntry(str(run_id), "B-1", "DIODE-IV", "1", datetime.now(UTC), "engineer", "0.1.0")
    with RunFileWriter.create(path, entry, SampleInfo("S-1", "diode", "intact"), [], {}) as writer:
        raw = (np.sin(np.linspace(0, 20, points)) * 30000).astype(np.int16)
        writer.append_waveform("ch1", raw, scale=1e-4, offset=0.0, t0=0.0, dt=1e-6, y_units="V")
        digest = writer.close("completed")
    outcome = RunOutcome(RunStatus.COMPLETED, hdf5_path=str(path.relative_to(settings.data_dir)), hdf5_sha256=digest)
    lifecycle.finish_run(session=session, run_id=run_id, outcome=outcome)
    session.commit()
    return digest


def test_an_engineer_queues_a_run_and_its_owner_follows_it(
    client: Client, session: Session, ready: ReadyBooking, login: Login
) -> None:
    run = _queue(client, ready, login, stop_voltage=0.8)
    assert run["status"] == "queued"
    assert run["method_code"] == "DIODE-IV"
    assert run["instruments"] == ["SMU-station-1"]
    followed = client.get(f"/api/runs/{run['id']}", headers=login(ready.customer))
    assert followed.status_code == 200
    assert followed.json()["parameters"]["stop_voltage"] == {"value": 0.8, "unit": "V"}


def test_another_companys_run_is_404_and_absent_from_its_list(
    client: Client, session: Session, ready: ReadyBooking, login: Login
) -> None:
    run = _queue(client, ready, login)
    _, stranger = make_company(session)
    headers = login(stranger)
    assert client.get(f"/api/runs/{run['id']}", headers=headers).status_code == 404
    assert client.get(f"/api/runs/{run['id']}/data", headers=headers).status_code == 404
    assert client.get("/api/runs", headers=headers).json() == []


def test_a_customer_cannot_queue_or_abort_a_run(
    client: Client, session: Session, ready: ReadyBooking, login: Login
) -> None:
    body = {"booking": ready.booking.id, "sample": ready.sample.id}
    assert client.post("/api/runs", json=body, headers=login(ready.customer)).status_code == 403
    run = _queue(client, ready, login)
    assert client.post(f"/api/runs/{run['id']}/abort", headers=login(ready.customer)).status_code == 403


def test_a_parameter_out_of_range_is_422_naming_it_and_queues_nothing(
    client: Client, session: Session, ready: ReadyBooking, login: Login
) -> None:
    body = {"booking": ready.booking.id, "sample": ready.sample.id, "parameters": {"compliance_current": 3.0}}
    response = client.post("/api/runs", json=body, headers=login(ready.engineer))
    assert response.status_code == 422
    assert "compliance_current" in response.json()["detail"]
    assert client.get("/api/runs", headers=login(ready.engineer)).json() == []


def test_aborting_a_queued_run_ends_it(client: Client, session: Session, ready: ReadyBooking, login: Login) -> None:
    run = _queue(client, ready, login)
    response = client.post(f"/api/runs/{run['id']}/abort", headers=login(ready.engineer))
    assert response.status_code == 202
    assert response.json()["status"] == "aborted"
    again = client.post(f"/api/runs/{run['id']}/abort", headers=login(ready.engineer))
    assert again.status_code == 409


def test_data_of_a_run_in_progress_is_409(client: Client, session: Session, ready: ReadyBooking, login: Login) -> None:
    run = _queue(client, ready, login)
    response = client.get(f"/api/runs/{run['id']}/data", headers=login(ready.customer))
    assert response.status_code == 409
    assert "queued" in response.json()["detail"]


def test_the_owner_downloads_the_hdf5_file_whose_digest_matches(
    client: Client, session: Session, settings: Settings, ready: ReadyBooking, login: Login
) -> None:
    run = _queue(client, ready, login)
    digest = _complete_with_a_waveform(session, settings, int(str(run["id"])), 100_000)
    response = client.get(f"/api/runs/{run['id']}/data", headers=login(ready.customer))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-hdf5"
    assert response.headers["x-content-sha256"] == digest
    assert hashlib.sha256(response.content).hexdigest() == digest
    assert response.content[:8] == b"\x89HDF\r\n\x1a\n"


def test_the_preview_is_min_max_decimated_in_physical_units(
    client: Client, session: Session, settings: Settings, ready: ReadyBooking, login: Login
) -> None:
    run = _queue(client, ready, login)
    _complete_with_a_waveform(session, settings, int(str(run["id"])), 200_000)
    response = client.get(f"/api/runs/{run['id']}/preview?points=400", headers=login(ready.customer))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["series"] == "waveforms/ch1"
    assert body["source_points"] == 200_000
    assert len(body["x"]) == len(body["y_min"]) == len(body["y_max"]) <= 200
    assert max(body["y_max"]) == pytest.approx(3.0, abs=1e-3)
    assert min(body["y_min"]) == pytest.approx(-3.0, abs=1e-3)
    assert body["y_units"] == "V"
    assert client.get(f"/api/runs/{run['id']}/preview?points=1", headers=login(ready.customer)).status_code == 422
    missing = client.get(f"/api/runs/{run['id']}/preview?series=nope", headers=login(ready.customer))
    assert missing.status_code == 422


def test_staff_see_every_run(client: Client, session: Session, ready: ReadyBooking, login: Login) -> None:
    _queue(client, ready, login)
    reviewer = make_user(session, Role.REVIEWER)
    assert len(client.get("/api/runs", headers=login(reviewer)).json()) == 1


def test_the_data_folder_is_the_settings_one(settings: Settings) -> None:
    assert run_file_path(settings.data_dir, 7) == settings.data_dir / "runs" / "run-000007.h5"
    assert isinstance(run_file_path(settings.data_dir, 7), Path)


def test_a_run_before_its_slot_is_409_naming_it_until_the_engineer_gives_a_reason(
    client: Client, lab: Lab, login: Login
) -> None:
    booking = received(client, login, lab.customer, lab.engineer, starts())
    body = {"booking": booking["id"], "sample": booking["samples"][0]["id"]}
    headers = login(lab.engineer)

    refused = client.post("/api/runs", json=body, headers=headers)
    assert refused.status_code == 409
    assert "slot begins" in refused.json()["detail"]
    assert '"early"' in refused.json()["detail"]
    blank = client.post("/api/runs", json={**body, "early": {"reason": " "}}, headers=headers)
    assert blank.status_code == 422
    assert client.get("/api/runs", headers=headers).json() == []

    queued = client.post("/api/runs", json={**body, "early": {"reason": "the customer asked"}}, headers=headers)
    assert queued.status_code == 202, queued.text

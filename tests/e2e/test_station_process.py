"""The station ``labsys serve`` starts runs in a process of its own, lives and dies with the server, and comes back."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import h5py
import httpx
import pytest

from labsys.demo import DEMO_PASSWORD
from tests.e2e.serving import serving, station_pids

#: The earliest slot lies a day ahead; the bench runs the test now, with the override.
EARLY = {"reason": "the journey runs the test now"}

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _the_station(server_pid: int, *, other_than: int | None = None, within_s: float = 30) -> int:
    """The one station process the server runs (other than ``other_than``), once it is there."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        found = [pid for pid in station_pids(server_pid) if pid != other_than]
        if found:
            assert len(found) == 1, found
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no station process under the server within {within_s} s")


def _ended(pid: int, *, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(0.05)
    return False


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _a_completed_run(base_url: str) -> dict[str, Any]:
    """A STEP-RISE booking taken through its lifecycle over HTTP and run (small records); the run once it ended."""
    with httpx.Client(base_url=base_url, timeout=30) as client:

        def sign_in(email: str) -> dict[str, str]:
            token = _ok(client.post("/api/auth/token", json={"email": email, "password": DEMO_PASSWORD}))
            return {"Authorization": f"Bearer {token['access_token']}"}

        customer, engineer = sign_in("minjun.kim@hanbit.example.com"), sign_in("engineer@lab.example.com")
        booking = {"method": "STEP-RISE", "start": "earliest", "samples": [{"label": "RC-1"}]}
        booked = _ok(client.post("/api/bookings", json=booking, headers=customer), 201)
        sample = booked["samples"][0]["id"]
        _ok(client.post(f"/api/bookings/{booked['id']}/confirm", headers=customer))
        receipt = {"samples": [{"sample_id": sample, "condition": "intact"}]}
        _ok(client.post(f"/api/bookings/{booked['id']}/receive", json=receipt, headers=engineer))
        run_in = {
            "booking": booked["id"],
            "sample": sample,
            "parameters": {"record_points": 10_000, "records": 2},
            "early": EARLY,
        }
        run_id = _ok(client.post("/api/runs", json=run_in, headers=engineer), 202)["id"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run = _ok(client.get(f"/api/runs/{run_id}", headers=customer))
            if run["status"] not in {"queued", "running"}:
                return dict(run)
            time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not end within a minute")


def test_the_station_runs_in_a_process_of_its_own_completes_a_run_and_stops_with_the_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with serving(f"sqlite:///{data / 'labsys.sqlite3'}", data, "--demo") as served:
        station = _the_station(served.pid)
        assert station != served.pid
        run = _a_completed_run(served.base_url)
        assert run["status"] == "completed", run["failure_reason"]
        assert run["station"] == "station-1"
    assert _ended(station, within_s=1), "the station outlived the server"
    assert f"station station-1 started (process {station})" in served.output
    assert "station station-1 stopped" in served.output


def test_a_station_that_dies_is_started_again_and_one_whose_server_dies_stops_by_itself(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with serving(f"sqlite:///{data / 'labsys.sqlite3'}", data, "--demo") as served:
        first = _the_station(served.pid)
        os.kill(first, signal.SIGKILL)
        second = _the_station(served.pid, other_than=first)
        assert _a_completed_run(served.base_url)["status"] == "completed"
        os.kill(served.pid, signal.SIGKILL)  # no chance to stop its station
        assert _ended(second, within_s=30), "the station outlived its server's death"
    assert f"station station-1 (process {first}) ended on its own with exit code -9" in served.output


def test_a_run_whose_station_is_killed_mid_way_keeps_its_rows_and_its_file_s_digest_on_its_api_answer(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with serving(f"sqlite:///{data / 'labsys.sqlite3'}", data, "--demo") as served:
        station = _the_station(served.pid)
        with httpx.Client(base_url=served.base_url, timeout=30) as client:
            customer, engineer = (_sign_in(client, who) for who in (_CUSTOMER, "engineer@lab.example.com"))
            run_id = _start_step_rise(client, customer, engineer, records=100)
            running = _wait_for_run(client, engineer, run_id, lambda run: run["progress"] >= 25)
            os.kill(station, signal.SIGKILL)
            killed_at = datetime.now(UTC)
            run = _wait_for_run(client, customer, run_id, lambda run: run["status"] != "running")
            data_file = client.get(f"/api/runs/{run_id}/data", headers=customer)
    assert run["status"] == "interrupted", run
    assert run["rows_committed"] >= running["rows_committed"] > 0
    assert run["hdf5_sha256"] == hashlib.sha256(data_file.content).hexdigest()
    assert datetime.fromisoformat(run["started_at"]) < datetime.fromisoformat(run["finished_at"]) <= killed_at
    with h5py.File(io.BytesIO(data_file.content), "r") as file:
        records = file["entry/waveforms"]
        assert max(records[name]["raw"].shape[0] for name in records) == run["rows_committed"]
        assert file["entry/status"][()].decode() == "running"  # the file as the kill left it


_CUSTOMER = "minjun.kim@hanbit.example.com"


def _sign_in(client: httpx.Client, email: str) -> dict[str, str]:
    token = _ok(client.post("/api/auth/token", json={"email": email, "password": DEMO_PASSWORD}))
    return {"Authorization": f"Bearer {token['access_token']}"}


def _start_step_rise(client: httpx.Client, customer: dict[str, str], engineer: dict[str, str], *, records: int) -> int:
    booking = {"method": "STEP-RISE", "start": "earliest", "samples": [{"label": "RC-1"}]}
    booked = _ok(client.post("/api/bookings", json=booking, headers=customer), 201)
    sample = booked["samples"][0]["id"]
    _ok(client.post(f"/api/bookings/{booked['id']}/confirm", headers=customer))
    receipt = {"samples": [{"sample_id": sample, "condition": "intact"}]}
    _ok(client.post(f"/api/bookings/{booked['id']}/receive", json=receipt, headers=engineer))
    run_in = {
        "booking": booked["id"],
        "sample": sample,
        "parameters": {"record_points": 1_000_000, "records": records},
        "early": EARLY,
    }
    return int(_ok(client.post("/api/runs", json=run_in, headers=engineer), 202)["id"])


def _wait_for_run(
    client: httpx.Client, headers: dict[str, str], run_id: int, until: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run: dict[str, Any] = _ok(client.get(f"/api/runs/{run_id}", headers=headers))
        if until(run):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not get there within two minutes: {run}")

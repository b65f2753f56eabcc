"""The station ``labsys serve`` starts runs in a process of its own, lives and dies with the server, and comes back."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from labsys.demo import DEMO_PASSWORD
from tests.e2e.serving import serving, station_pids

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
        run_in = {"booking": booked["id"], "sample": sample, "parameters": {"record_points": 10_000, "records": 2}}
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

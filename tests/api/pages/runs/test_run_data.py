"""A run's data through the session: its preview (the station's live one while it runs, the file's once ended),
its HDF5 file, and its live events."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from labsys.companies.models import User
from labsys.settings import Settings
from tests.api.pages.conftest import Client
from tests.api.pages.engineers.booked import Login
from tests.api.pages.runs.conftest import LIVE_PREVIEW, claim, complete, queue, report
from tests.labsys.runs.conftest import ReadyBooking

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]


def _events(body: str) -> list[tuple[str, dict[str, Any]]]:
    """The (event, data) of each server-sent event in ``body``."""
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_the_data_link_downloads_the_hdf5_file_with_its_sha256(
    client: Client, session: Session, settings: Settings, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    claim(session, run_id)
    digest = complete(session, settings, run_id)
    sign_in_page(ready.customer)

    response = client.get(f"/runs/{run_id}/data")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-hdf5"
    assert f'filename="run-{run_id}.h5"' in response.headers["content-disposition"]
    assert response.headers["x-content-sha256"] == digest
    assert hashlib.sha256(response.content).hexdigest() == digest


def test_the_data_of_a_run_in_progress_is_not_served(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    sign_in_page(ready.customer)

    assert client.get(f"/runs/{run_id}/data", headers={"Accept": "text/html"}).status_code == 409


def test_an_ended_runs_preview_comes_from_its_file_with_labelled_axes(
    client: Client, session: Session, settings: Settings, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    claim(session, run_id)
    complete(session, settings, run_id)
    sign_in_page(ready.customer)

    preview = client.get(f"/runs/{run_id}/preview").json()

    assert preview["live"] is False
    assert preview["series"] == "data/current"
    assert preview["source_points"] == 56
    assert preview["x"][0] == pytest.approx(0.3)
    assert (preview["x_label"], preview["y_label"]) == ("전압 (V)", "전류 (A)")
    assert preview["max_label"] == "최댓값"


def test_a_running_runs_preview_is_the_one_its_station_stored(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    sign_in_page(ready.customer)
    waiting = client.get(f"/runs/{run_id}/preview").json()
    claim(session, run_id)
    report(session, run_id, 50.0, LIVE_PREVIEW)

    preview = client.get(f"/runs/{run_id}/preview").json()

    assert (waiting["live"], waiting["x"], waiting["source_points"]) == (True, [], 0)
    assert preview["live"] is True
    assert preview["x"] == LIVE_PREVIEW["x"]
    assert preview["y_max"] == LIVE_PREVIEW["y_max"]
    assert preview["y_label"] == "전류 (A)"


def test_the_events_stream_progress_and_the_live_preview_then_end_when_the_run_ends(
    client: Client, session: Session, settings: Settings, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    claim(session, run_id)
    report(session, run_id, 10.0)
    sign_in_page(ready.engineer)

    def station() -> None:
        time.sleep(0.8)
        report(session, run_id, 60.0, LIVE_PREVIEW)
        time.sleep(0.8)
        complete(session, settings, run_id)

    playing = threading.Thread(target=station)
    playing.start()
    started = time.monotonic()
    response = client.get(f"/runs/{run_id}/events")
    playing.join()

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert time.monotonic() - started < 10
    events = _events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "progress"
    assert events[0][1] == {"status": "running", "label": "시험 중", "progress": 10.0, "rows": 3}
    assert ("progress", {"status": "running", "label": "시험 중", "progress": 60.0, "rows": 3}) in events
    preview = next(data for name, data in events if name == "preview")
    assert preview["x"] == LIVE_PREVIEW["x"]
    assert preview["x_label"] == "전압 (V)"
    assert names[-1] == "end"
    assert names.count("end") == 1
    assert events[-1][1]["status"] == "completed"
    assert events[-1][1]["progress"] == 100.0
    assert events[-1][1]["verdict"] == "pass"


def test_the_events_of_an_ended_run_are_its_end_alone(
    client: Client, session: Session, settings: Settings, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    claim(session, run_id)
    complete(session, settings, run_id)
    sign_in_page(ready.customer)

    events = _events(client.get(f"/runs/{run_id}/events").text)

    assert [name for name, _ in events] == ["end"]

"""A burst of signed-in requests on a running server: every one is answered, none waits for the busy timeout."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from time import monotonic

import httpx
import pytest
from sqlalchemy import Engine

from api.app import create_app
from labsys.db import Database
from labsys.settings import load_settings
from tests.api.servers import running_server
from tests.factories import PASSWORD, Lab

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BURST = 120  # three times Litestar's worker-thread pool


def test_a_burst_larger_than_the_thread_pool_is_answered_quickly_and_in_full(
    race_engine: Engine, race_lab: Lab, tmp_path: Path
) -> None:
    with running_server(create_app(load_settings(data_dir=tmp_path / "data"), db=Database(race_engine))) as base_url:
        token = httpx.post(
            f"{base_url}/api/auth/token", json={"email": race_lab.customer.email, "password": PASSWORD}
        ).json()["access_token"]
        barrier = threading.Barrier(BURST)

        def ask(_: int) -> int:
            with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
                barrier.wait()
                return client.get("/api/users/me").status_code

        started = monotonic()
        with ThreadPoolExecutor(max_workers=BURST) as pool:
            statuses = list(pool.map(ask, range(BURST)))
        elapsed = monotonic() - started
    assert statuses == [200] * BURST
    assert elapsed < 20, f"the burst took {elapsed:.1f} s: requests waited for SQLite's 30 s busy timeout"

"""The README's first command: ``labsys serve --demo`` on an empty data folder serves a working demo lab."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from labsys.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_demo_seeds_the_lab_prints_the_logins_and_serves_the_api_with_its_docs(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "LABSYS_DATA_DIR": str(tmp_path / "data")}
    server = subprocess.Popen(
        [sys.executable, "-m", "labsys", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        token = httpx.post(
            f"{base}/api/auth/token", json={"email": "engineer@lab.example.com", "password": DEMO_PASSWORD}
        )
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        instruments = {i["asset_tag"]: i for i in httpx.get(f"{base}/api/instruments", headers=headers).json()["data"]}
        assert len(instruments) == 7
        assert instruments["DMM-02"]["calibration_state"] == "overdue"
        assert instruments["DMM-02"]["usable_today"] is False
        assert all(i["usable_today"] for tag, i in instruments.items() if tag != "DMM-02")
        methods = httpx.get(f"{base}/api/methods").json()
        assert {m["code"] for m in methods} == {"DIODE-IV", "RES-4W-TCR", "STEP-RISE", "CAP-CD"}
        assert httpx.get(f"{base}/schema/").status_code == 200
        assert (tmp_path / "data" / "labsys.sqlite3").is_file()
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    assert "engineer@lab.example.com" in output
    assert DEMO_PASSWORD in output
    assert "(주)한빛소재" in output

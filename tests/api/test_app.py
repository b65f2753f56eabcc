"""The app as a server process runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_REPORT = """
import gc, json
from api.app import create_app_from_environment
create_app_from_environment()
print(json.dumps({"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}))
"""


def test_a_server_process_keeps_what_starting_made_out_of_the_collectors_passes(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "LABSYS_DATA_DIR": str(tmp_path / "data"),
        "LABSYS_DATABASE_URL": f"sqlite:///{tmp_path}/lab.sqlite3",
    }
    done = subprocess.run(
        [sys.executable, "-c", _REPORT], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["frozen"] > 10_000  # the modules, routes and compiled statements of the app
    assert report["threshold"][0] == 20_000

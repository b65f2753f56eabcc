"""The app as a server process runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.app import create_app
from api.state import lab_state
from labsys.bookings.intake import BookingIntake
from labsys.bookings.writer import BookingWriter
from labsys.settings import load_settings

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


@pytest.mark.parametrize(
    ("database", "recorder"), [("sqlite://", BookingIntake), ("sqlite:///{folder}/lab.sqlite3", BookingWriter)]
)
def test_a_server_process_hands_bookings_to_a_writer_process_only_for_a_database_in_a_file(
    tmp_path: Path, database: str, recorder: type[object]
) -> None:
    settings = load_settings(data_dir=tmp_path / "data", database_url=database.format(folder=tmp_path))
    app = create_app(settings, writer_process=True)  # the writer process starts with the app, not here
    assert type(lab_state(app.state).intake) is recorder

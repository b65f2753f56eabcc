"""The write-ahead log is moved into the database file by a thread of its own."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from labsys.db import create_lab_engine
from labsys.db.checkpoint import WalCheckpointer


def test_the_checkpointer_moves_committed_pages_into_the_database_file(tmp_path: Path) -> None:
    database = tmp_path / "lab.sqlite3"
    engine = create_lab_engine(f"sqlite:///{database}")
    checkpointer = WalCheckpointer(engine, interval=0.05)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")  # no commit of ours checkpoints
            connection.exec_driver_sql("CREATE TABLE readings (data BLOB)")
            connection.exec_driver_sql(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                "INSERT INTO readings SELECT randomblob(4096) FROM n"
            )
            connection.commit()
            in_file = database.stat().st_size
            assert in_file < 1_000_000  # two megabytes committed, all still in the log
            checkpointer.start()
            deadline = time.monotonic() + 10
            while database.stat().st_size < 2_000_000 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert database.stat().st_size >= 2_000_000
            count = connection.exec_driver_sql("SELECT count(*) FROM readings").scalar_one()
            assert count == 500
    finally:
        checkpointer.stop()
        engine.dispose()


def test_a_stopped_checkpointer_starts_again(tmp_path: Path) -> None:
    engine = create_lab_engine(f"sqlite:///{tmp_path / 'lab.sqlite3'}")
    checkpointer = WalCheckpointer(engine, interval=0.01)
    checkpointer.start()
    checkpointer.stop()
    checkpointer.start()
    try:
        assert any(t.name == "wal-checkpoint" and t.is_alive() for t in threading.enumerate())
    finally:
        checkpointer.stop()
        engine.dispose()

"""Moving SQLite's write-ahead log into the database file from a thread of its own, not in a writer's commit.

In WAL mode SQLite copies the log into the database file (a checkpoint) once the log has grown past 1,000 pages,
in whichever commit crosses that mark: that commit then takes several milliseconds longer, and everything
waiting behind it waits too. A :class:`WalCheckpointer` checkpoints every few tenths of a second on its own
connection instead, with ``PASSIVE`` checkpoints that never wait for a reader or a writer, so the log rarely
reaches the mark and commits rarely pay for it. SQLite releases the interpreter lock while it copies, so the
copying runs beside the server's own work. Nothing depends on the thread: should it stop, commits checkpoint as
they did before.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

__all__ = ["WalCheckpointer"]

log = logging.getLogger(__name__)


class WalCheckpointer:
    """Checkpoints an SQLite database's log every ``interval`` seconds while started (a daemon thread)."""

    def __init__(self, engine: Engine, *, interval: float = 0.25) -> None:
        """
        Args:
            engine: an engine on an SQLite file in WAL mode (see :func:`labsys.db.create_lab_engine`).
            interval: seconds between checkpoints.
        """
        self._engine = engine
        self._interval = interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start checkpointing, if not started."""
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop checkpointing and wait for the thread to end."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            thread.join()

    def _run(self) -> None:
        # A raw connection: the engine's transactions begin IMMEDIATE, and a checkpoint must hold no lock.
        connection = self._engine.raw_connection()
        try:
            while not self._stopping.wait(self._interval):
                try:
                    connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except Exception:
                    log.exception("a checkpoint of the write-ahead log failed; the next commits will checkpoint")
        finally:
            connection.close()

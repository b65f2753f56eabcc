"""The lab's database as services use it: a transaction that reads, or one that writes.

Every request is one transaction. Reading takes no lock: on SQLite a deferred transaction in WAL mode reads a
snapshot beside the one writer; on PostgreSQL any number read at once. Writing is one transaction at a time for
the whole lab, on either database: SQLite's ``BEGIN IMMEDIATE`` takes its write lock before the first read, and on
PostgreSQL a transaction-level advisory lock does the same. So a service that checks a rule and then writes (a
free slot, a weekly quota, the next certificate number) decides on what is still true when it commits, and the
audit chain grows one event at a time. The lab writes a few times a minute; the lock costs nobody anything, and
the database's own constraints (reservations never overlap, numbers are unique) stay the last word.

A write transaction holds no slow work: hash passwords, render and sign PDFs, read HDF5 files before or after it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from labsys.db.engine import WRITES
from labsys.errors import Unavailable

__all__ = ["Database"]

# One writer at a time per schema (the tests give each test a schema of its own in one PostgreSQL database).
_PG_ONE_WRITER = text("SELECT pg_advisory_xact_lock(hashtext('labsys:' || current_schema()))")


class Database:
    """Transactions on the lab's database.

    Args:
        engine: an engine from :func:`~labsys.db.create_lab_engine`.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reads = sessionmaker(engine, class_=Session, expire_on_commit=False)
        self._writes = sessionmaker(engine.execution_options(**{WRITES: True}), class_=Session, expire_on_commit=False)
        # Writers of this process queue here, and are woken the moment the writer before them ends; across
        # processes they queue on the database's lock. SQLite's own wait polls in sleeps that grow to 100 ms, so
        # under a burst a writer could lose the race again and again: measured with ten clients booking and
        # reading flat out, a booking's p99 was 1.9-2.5 s waiting on SQLite alone, 0.65 s queued here.
        self._writer = threading.Lock()

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session whose transaction only reads; it ends (rolled back) when the block does."""
        with self._reads() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose transaction writes: committed when the block ends, rolled back if it raises.

        It waits for any other write transaction to end before its first read.

        Raises:
            Unavailable: the database stayed locked by another writer for longer than its busy timeout.
        """
        try:
            with self._writer, self._writes() as session, session.begin():
                if self.dialect == "postgresql":
                    session.execute(_PG_ONE_WRITER)
                else:
                    session.connection()  # BEGIN IMMEDIATE, before anything is read
                yield session
        except OperationalError as exc:
            if "database is locked" not in str(exc.orig):
                raise
            raise Unavailable("the lab's database is busy with other changes; try again in a moment") from exc

    def after_each_write(self, hook: Callable[[Session], None]) -> None:
        """Call ``hook`` with the session of each write transaction once it has committed (still holding this
        process's turn to write, so hooks run in the order the transactions committed). The hook may not use the
        session's connection; what it raises reaches the writer, whose change is committed all the same."""
        event.listen(self._writes, "after_commit", hook)

    def dispose(self) -> None:
        """Close the engine's connections."""
        self.engine.dispose()

"""Engines for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

__all__ = ["WRITES", "create_lab_engine"]

#: The execution option that marks a connection's transactions as writes (see :class:`~labsys.db.Database`).
WRITES = "labsys_writes"


def create_lab_engine(url: str, *, schema: str | None = None, **kwargs: Any) -> Engine:
    """Create the engine for ``url``.

    On SQLite the file runs in WAL mode with foreign keys on. A transaction begins deferred, so a read never waits
    for (or blocks) the one writer; a transaction on a connection with the :data:`WRITES` option begins with
    ``BEGIN IMMEDIATE``, so a writer takes the write lock before it reads what it will decide on, and writers queue
    for the lock (30 s at most) instead of failing half way.

    Args:
        url: an ``sqlite:///`` or ``postgresql+psycopg://`` URL.
        schema: on PostgreSQL, the schema to work in (tests give each test its own).
        kwargs: passed to :func:`sqlalchemy.create_engine`.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    if kwargs.get("poolclass") is not NullPool:
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 30)
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, instead of pysqlite's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(WRITES, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

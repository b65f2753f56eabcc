"""Engines and sessions for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from labsys.db.types import json_serializer

__all__ = ["answers_locally", "create_lab_engine", "reader_engine", "session_factory"]


def create_lab_engine(url: str, *, schema: str | None = None, read_only: bool = False, **kwargs: Any) -> Engine:
    """Create the engine for ``url``.

    On SQLite the file runs in WAL mode with foreign keys on, and every transaction starts with
    ``BEGIN IMMEDIATE``: write transactions queue for the one writer lock instead of failing half way, and a
    check followed by an insert in one transaction cannot interleave with another writer. On either database a
    JSON column stores :class:`~labsys.db.types.JSONText` as it is.

    Args:
        url: an ``sqlite:///`` or ``postgresql+psycopg://`` URL.
        schema: on PostgreSQL, the schema to work in (tests give each test its own).
        read_only: on SQLite, an engine for lookups that never write: its statements run without ``BEGIN
            IMMEDIATE``, so they never wait for (or hold) the writer's lock; WAL lets them read beside a writer.
        kwargs: passed to :func:`sqlalchemy.create_engine`.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, json_serializer=json_serializer, **kwargs
        )
        _configure_sqlite(engine, immediate=not read_only)
        return engine
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 30)
    if kwargs.get("poolclass") is NullPool:
        kwargs.pop("pool_size")
        kwargs.pop("max_overflow")
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True, json_serializer=json_serializer, **kwargs)


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, instead of pysqlite's deferred BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    if not immediate:
        return

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


def reader_engine(engine: Engine) -> Engine:
    """An engine for lookups beside ``engine``: on SQLite one that takes no write lock, elsewhere ``engine`` itself."""
    if engine.dialect.name != "sqlite":
        return engine
    return create_lab_engine(engine.url.render_as_string(hide_password=False), read_only=True)


def answers_locally(engine: Engine) -> bool:
    """Whether the database is embedded in this process (SQLite): a small read takes microseconds, no network."""
    return engine.dialect.name == "sqlite"

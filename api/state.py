"""What the app holds for its lifetime, and the per-request database session."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from labsys.bookings.intake import Intake
from labsys.companies.accounts import AccountReader
from labsys.settings import Settings

__all__ = ["DB", "LabState", "lab_state", "provide_session", "provide_settings"]


#: The request's database session, as a handler parameter: ``db: DB``.
DB = NamedDependency[Session]


@dataclass
class LabState:
    """The settings, the engine and its session factory of a running app."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    #: An engine for lookups that never write (who a token speaks for): on SQLite it takes no write lock.
    readers: Engine
    #: The writer that records new bookings in batches.
    intake: Intake
    #: Who tokens speak for, read on the event loop over a kept connection (embedded databases only).
    accounts: AccountReader


def lab_state(state: State) -> LabState:
    """The app's :class:`LabState`."""
    lab: LabState = state["lab"]
    return lab


async def provide_session(state: State) -> AsyncGenerator[Session, None]:
    """One session per request: committed before the response is sent, rolled back on any error.

    A request that fails therefore writes nothing: no half-written records. The commit runs here, on the event
    loop (a commit is short), never in the worker-thread pool: on SQLite a pool full of requests waiting for
    the write lock could otherwise keep the lock's holder from ever getting a thread to commit in.
    """
    session = lab_state(state).sessions()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    else:
        session.commit()
    finally:
        session.close()


def provide_settings(state: State) -> Settings:
    """The app's settings."""
    return lab_state(state).settings

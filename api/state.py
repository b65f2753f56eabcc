"""What the app holds for its lifetime, and the per-request database session."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

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


def lab_state(state: State) -> LabState:
    """The app's :class:`LabState`."""
    lab: LabState = state["lab"]
    return lab


def provide_session(state: State) -> Generator[Session, None, None]:
    """One session per request: committed before the response is sent, rolled back on any error.

    A request that fails therefore writes nothing: no half-written records.
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

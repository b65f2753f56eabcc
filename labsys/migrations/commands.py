"""Running the migrations from code: ``labsys db upgrade``, ``serve`` on start, and the tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

__all__ = ["alembic_config", "current_revision", "upgrade"]


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that migrates through ``engine`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", "labsys:migrations")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default)."""
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()

"""Alembic migrations of the lab's database, and the commands that run them."""

from labsys.migrations.commands import alembic_config, current_revision, upgrade

__all__ = ["alembic_config", "current_revision", "upgrade"]

"""The ``labsys`` command group and what its commands share: the settings, read once, and the migrated database.

Each command imports what it needs when it runs, so ``labsys --help`` and the small commands start at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from labsys.db import Database
    from labsys.settings import Settings

__all__ = ["main", "migrated", "settings_or_exit"]


def settings_or_exit() -> Settings:
    """The lab's settings; a bad one ends the command with a message naming it."""
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.settings import get_settings  # noqa: PLC0415

    try:
        return get_settings()
    except LabError as exc:
        raise click.ClickException(f"bad configuration: {exc.detail}") from exc


def migrated(settings: Settings) -> Database:
    """The lab's database, brought to the newest schema."""
    from labsys.serve import migrated_database  # noqa: PLC0415

    return migrated_database(settings)


@click.group()
@click.version_option(package_name="labsys")
def main() -> None:
    """labsys: the service that runs the verification lab."""

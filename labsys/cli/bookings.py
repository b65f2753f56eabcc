"""``labsys bookings``: bookings and the instrument time they hold."""

from __future__ import annotations

import click

from labsys.cli.root import main, migrated, settings_or_exit


@main.group()
def bookings() -> None:
    """Bookings and the instrument time they hold."""


@bookings.command("release-no-shows")
def bookings_release_no_shows() -> None:
    """Release the slot of every booking whose slot began more than LABSYS_NO_SHOW_MINUTES ago with no run started
    (each station does this every minute too; running it again changes nothing)."""
    from labsys.bookings.no_show import sweep_no_shows  # noqa: PLC0415

    settings = settings_or_exit()
    database = migrated(settings)
    try:
        released = sweep_no_shows(database, grace=settings.no_show_after)
    finally:
        database.dispose()
    if not released:
        click.echo("no no-shows to release")
    for booking_id in released:
        click.echo(f"booking {booking_id}: slot released (no run started within {settings.no_show_minutes} min)")

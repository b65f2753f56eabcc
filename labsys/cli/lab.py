"""``labsys db upgrade``, ``labsys serve`` and ``labsys station``: the lab's database and its processes."""

from __future__ import annotations

import click

from labsys.cli.root import main, migrated, settings_or_exit


@main.group()
def db() -> None:
    """The lab's database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    settings = settings_or_exit()
    migrated(settings).dispose()
    click.echo(f"database at the newest schema: {settings.resolved_database_url}")


@main.command()
@click.option("--demo", is_flag=True, help="Seed an empty lab with demo data and run the simulated bench.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Server processes.")
def serve(demo: bool, host: str, port: int, workers: int) -> None:
    """Serve the API with one station in a process of its own (migrating the database first)."""
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.serve import serve_lab  # noqa: PLC0415

    try:
        serve_lab(settings_or_exit(), demo=demo, host=host, port=port, workers=workers, echo=click.echo)
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot start: {exc}") from exc


@main.command()
@click.option("--attached", is_flag=True, hidden=True, help="Stop also when standard input closes (serve uses it).")
def station(attached: bool) -> None:
    """Run a station on its own against the lab's database (LABSYS_STATION_NAME names it)."""
    from labsys.serve import serve_station  # noqa: PLC0415

    serve_station(settings_or_exit(), attached=attached)

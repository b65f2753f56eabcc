"""The ``labsys`` command: serve the lab, run a station, migrate, manage users, verify the audit trail.

Each command imports what it needs when it runs, so ``labsys --help`` and the small commands start at once.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from labsys.db import Database
    from labsys.settings import Settings

__all__ = ["main"]

_ROLES = ("customer", "engineer", "reviewer", "admin")


def _settings() -> Settings:
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.settings import get_settings  # noqa: PLC0415

    try:
        return get_settings()
    except LabError as exc:
        raise click.ClickException(f"bad configuration: {exc.detail}") from exc


def _database(settings: Settings) -> Database:
    from labsys.serve import migrated_database  # noqa: PLC0415

    return migrated_database(settings)


@click.group()
@click.version_option(package_name="labsys")
def main() -> None:
    """labsys: the service that runs the verification lab."""


@main.group()
def db() -> None:
    """The lab's database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    settings = _settings()
    _database(settings).dispose()
    click.echo(f"database at the newest schema: {settings.resolved_database_url}")


@main.group()
def users() -> None:
    """The lab's users."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice(_ROLES), required=True)
@click.option("--name", default=None, help="Full name (default: the part of the email before @).")
@click.option("--company", "company_id", type=int, default=None, help="Company id (customers only).")
@click.option("--qualification", "qualifications", multiple=True, help="Instrument kind or method code; repeat.")
def users_create(  # noqa: PLR0917 - click passes options positionally
    email: str, password: str, role: str, name: str | None, company_id: int | None, qualifications: tuple[str, ...]
) -> None:
    """Create a user."""
    from pydantic import ValidationError  # noqa: PLC0415

    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.companies.models import Role, UserCreate  # noqa: PLC0415
    from labsys.companies.service import AccountService  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    try:
        user_in = UserCreate(
            email=email, name=name or email.split("@", 1)[0], password=password, role=Role(role),
            company_id=company_id, qualifications=list(qualifications),
        )  # fmt: skip
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    database = _database(_settings())
    try:
        user = AccountService(database).create_user(user_in, by=Actor("cli"))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@main.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Walk the audit chain; exit 1 naming the first broken event."""
    from labsys.audit import verify_chain  # noqa: PLC0415

    database = _database(_settings())
    with database.reading() as session:
        count, broken = verify_chain(session)
    database.dispose()
    if broken is not None:
        click.echo(f"audit chain BROKEN at event {broken.event_id}: {broken.reason} ({count} events hold)", err=True)
        sys.exit(1)
    click.echo(f"audit chain intact: {count} events")


@main.group()
def keys() -> None:
    """The lab's signing keys for test reports."""


@keys.command("init")
@click.option("--force", is_flag=True, help="Replace existing keys (reports signed before no longer chain to them).")
def keys_init(force: bool) -> None:
    """Create the lab's root CA and its document-signing certificate."""
    from labsys.certificates.keys import create_lab_keys  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    try:
        paths = create_lab_keys(_settings(), force=force)
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"signing key:         {paths.signing_key} (secret)")
    click.echo(f"signing certificate: {paths.signing_certificate}")
    click.echo(f"root certificate:    {paths.ca_certificate} (publish it: readers trust reports through it)")
    click.echo(f"root key:            {paths.ca_key} (secret: move it offline)")


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
        serve_lab(_settings(), demo=demo, host=host, port=port, workers=workers, echo=click.echo)
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot start: {exc}") from exc


@main.command()
@click.option("--attached", is_flag=True, hidden=True, help="Stop also when standard input closes (serve uses it).")
def station(attached: bool) -> None:
    """Run a station on its own against the lab's database (LABSYS_STATION_NAME names it)."""
    from labsys.serve import serve_station  # noqa: PLC0415

    serve_station(_settings(), attached=attached)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--base-port", type=int, default=None, help="First port (default: the ports in the bench file).")
def sim(host: str, base_port: int | None) -> None:
    """Run the simulated instrument bench on its own."""
    from labsys.demo.lab import serve_simulated_bench  # noqa: PLC0415

    serve_simulated_bench(host=host, base_port=base_port, echo=click.echo)

"""The ``labsys`` command: serve the lab, run a station, migrate, manage users, verify the audit trail."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from labsys.audit import verify_chain
from labsys.audit.chain import Actor
from labsys.certificates.keys import create_lab_keys
from labsys.companies.models import Role
from labsys.companies.schemas import UserCreate
from labsys.companies.service import create_user
from labsys.db import create_lab_engine, session_factory
from labsys.errors import LabError
from labsys.migrations import upgrade
from labsys.settings import Settings, get_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["main"]


def _settings() -> Settings:
    try:
        return get_settings()
    except LabError as exc:
        raise click.ClickException(f"bad configuration: {exc.detail}") from exc


def _migrated_engine(settings: Settings) -> Engine:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_lab_engine(settings.resolved_database_url)
    upgrade(engine)
    return engine


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
    _migrated_engine(settings)
    click.echo(f"database at the newest schema: {settings.resolved_database_url}")


@main.group()
def users() -> None:
    """The lab's users."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default=None, help="Full name (default: the part of the email before @).")
@click.option("--company", "company_id", type=int, default=None, help="Company id (customers only).")
@click.option("--qualification", "qualifications", multiple=True, help="Instrument kind or method code; repeat.")
def users_create(  # noqa: PLR0917 - click passes options positionally
    email: str, password: str, role: str, name: str | None, company_id: int | None, qualifications: tuple[str, ...]
) -> None:
    """Create a user."""
    settings = _settings()
    sessions = session_factory(_migrated_engine(settings))
    try:
        user_in = UserCreate(
            email=email,
            name=name or email.split("@", 1)[0],
            password=password,
            role=Role(role),
            company_id=company_id,
            qualifications=list(qualifications),
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    with sessions.begin() as session:
        try:
            user = create_user(session=session, user_in=user_in, actor=Actor("cli"))
        except LabError as exc:
            raise click.ClickException(exc.detail) from exc
        click.echo(f"created {user.role} {user.email} (id {user.id})")


@main.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Walk the audit chain; exit 1 naming the first broken event."""
    settings = _settings()
    sessions = session_factory(_migrated_engine(settings))
    with sessions() as session:
        count, broken = verify_chain(session)
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
    settings = _settings()
    try:
        paths = create_lab_keys(settings, force=force)
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
def serve(demo: bool, host: str, port: int) -> None:
    """Serve the API with one station in-process (migrating the database first)."""
    from labsys.serve import serve_lab  # noqa: PLC0415 - the server's imports are for this command only

    try:
        serve_lab(_settings(), demo=demo, host=host, port=port, echo=click.echo)
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot start: {exc}") from exc


@main.command()
def station() -> None:
    """Run a station on its own against the lab's database (LABSYS_STATION_NAME names it)."""
    from labsys.serve import serve_station  # noqa: PLC0415

    serve_station(_settings())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--base-port", type=int, default=None, help="First port (default: the ports in the bench file).")
def sim(host: str, base_port: int | None) -> None:
    """Run the simulated instrument bench on its own."""
    from labsys.serve import serve_simulated_bench  # noqa: PLC0415

    serve_simulated_bench(host=host, base_port=base_port, echo=click.echo)

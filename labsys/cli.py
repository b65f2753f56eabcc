"""The ``labsys`` command: serve the lab, run a station, migrate, manage users (create, unlock), verify the audit
trail.

Each command imports what it needs when it runs, so ``labsys --help`` and the small commands start at once.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from labsys.db import Database
    from labsys.runs.reanalysis import Reanalysis
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


@users.command("unlock")
@click.argument("email")
def users_unlock(email: str) -> None:
    """Lift the sign-in lock of the user who signs in with EMAIL (too many wrong passwords)."""
    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.companies.credentials import CredentialService  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    database = _database(_settings())
    try:
        credentials = CredentialService(database)
        user = credentials.unlock(credentials.user_id_of(email), by=Actor("cli"))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
    click.echo(f"sign-in unlocked for {user.email}: their wrong passwords are forgotten")


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
def runs() -> None:
    """Runs and their analyses."""


@runs.command("reanalyse")
@click.argument("run_id", type=int)
@click.option("--by", "by", default="cli", show_default=True, help="Who asks (recorded in the audit trail).")
def runs_reanalyse(run_id: int, by: str) -> None:
    """Analyse a completed run again from its stored file, keep it as a new version, and compare it with the
    run's result (version 1). The run and its file are not changed."""
    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.runs.reanalysis import reanalyse_run  # noqa: PLC0415
    from labsys.stations.analyses import PROGRAMS  # noqa: PLC0415

    settings = _settings()
    database = _database(settings)
    analyses = {procedure: program.analysis for procedure, program in PROGRAMS.items()}
    try:
        done = reanalyse_run(db=database, data_dir=settings.data_dir, run_id=run_id, analyses=analyses, actor=Actor(by))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    except (ValueError, OSError) as exc:  # the analysis failed on the file, or the file could not be read
        raise click.ClickException(f"the analysis of run {run_id} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        database.dispose()
    for line in _reanalysis_lines(done):
        click.echo(line)


def _quantity(metric: dict[str, object] | None) -> str:
    if metric is None:
        return "-"
    u = metric.get("expanded_uncertainty")
    units = "" if metric.get("units") in {"", "1", None} else f" {metric['units']}"
    return f"{metric['value']:.10g} ± {'unknown' if u is None else format(u, '.3g')}{units}"


def _reanalysis_lines(done: Reanalysis) -> list[str]:
    old, new = done.reference, done.new
    lines = [
        f"run {done.run_id} ({done.method_code}): file SHA-256 {done.file_sha256} as recorded",
        *(
            f"version {v.version}: {v.program or '(program not recorded)'} {v.program_version}, by {v.actor} at "
            f"{v.created_at:%Y-%m-%d %H:%M} UTC"
            for v in (old, new)
        ),
        f"{'metric':32} {'version ' + str(old.version):36} {'version ' + str(new.version):36} agreement",
    ]
    lines += [f"{m.name:32} {_quantity(m.before):36} {_quantity(m.after):36} {m.agreement}" for m in done.metrics]
    lines.append(f"{'verdict':32} {old.verdict or '-':36} {new.verdict or '-'}")
    if done.reproduces:
        lines.append(f"version {new.version} reproduces version {old.version}.")
    elif done.agrees:
        lines.append(f"version {new.version} agrees with version {old.version} within its uncertainties.")
    else:
        lines.append(f"version {new.version} DISAGREES with version {old.version}.")
    lines.append(f"The run's result stays version {old.version}; version {new.version} is kept beside it.")
    return lines


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

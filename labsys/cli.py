"""The ``labsys`` command: serve the lab, run a station, migrate, manage users (create, unlock), verify the audit
trail.

Each command imports what it needs when it runs, so ``labsys --help`` and the small commands start at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
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


@users.command("shifts")
@click.argument("email")
@click.option("--shift", "shifts", multiple=True, help="A weekly shift, e.g. 'mon 09:00-13:00' (lab time); repeat.")
@click.option("--opening-hours", is_flag=True, help="No shifts: the engineer works the lab's opening hours.")
def users_shifts(email: str, shifts: tuple[str, ...], opening_hours: bool) -> None:
    """Set the weekly shifts of the engineer who signs in with EMAIL (replacing the ones before)."""
    from pydantic import ValidationError  # noqa: PLC0415

    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.companies.credentials import CredentialService  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.scheduling.engineer_time import EngineerTimeService  # noqa: PLC0415
    from labsys.scheduling.schemas import ShiftsUpdate, parse_shift  # noqa: PLC0415

    if bool(shifts) == opening_hours:
        raise click.UsageError("give the shifts (--shift, repeated) or --opening-hours, not both nor neither")
    try:
        update = ShiftsUpdate(shifts=[parse_shift(text) for text in shifts])
    except (ValueError, ValidationError) as exc:
        raise click.ClickException(str(exc)) from exc
    database = _database(_settings())
    try:
        user_id = CredentialService(database).user_id_of(email)
        saved = EngineerTimeService(database).set_shifts(user_id, update, by=Actor("cli"))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
    click.echo(f"{email} works {saved.count} weekly shifts" if saved.count else f"{email} works opening hours")


@users.command("leave")
@click.argument("email")
@click.option("--first", "first_day", required=True, help="The first day off, YYYY-MM-DD.")
@click.option("--last", "last_day", required=True, help="The last day off (inclusive), YYYY-MM-DD.")
@click.option("--reason", required=True)
def users_leave(email: str, first_day: str, last_day: str, reason: str) -> None:
    """Record leave for the engineer who signs in with EMAIL."""
    from pydantic import ValidationError  # noqa: PLC0415

    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.companies.credentials import CredentialService  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.scheduling.engineer_time import EngineerTimeService  # noqa: PLC0415
    from labsys.scheduling.schemas import LeaveCreate  # noqa: PLC0415

    try:
        leave = LeaveCreate.model_validate({"first_day": first_day, "last_day": last_day, "reason": reason})
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    database = _database(_settings())
    try:
        user_id = CredentialService(database).user_id_of(email)
        added = EngineerTimeService(database).add_leave(user_id, leave, by=Actor("cli"))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
    click.echo(f"{email} is on leave from {added.first_day} to {added.last_day} (leave {added.id})")


@main.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
@click.option(
    "--checkpoints",
    "checkpoint_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A copy of the checkpoint file to check against (default: the one in the data folder).",
)
def audit_verify(checkpoint_file: Path | None) -> None:
    """Walk the audit chain and check it against every signed checkpoint; exit 1 naming what does not hold."""
    from labsys.audit.checkpoints import CheckpointLog  # noqa: PLC0415
    from labsys.audit.verification import verification_lines, verify_audit_trail  # noqa: PLC0415
    from labsys.certificates.audit_checkpoints import checkpoint_log, signing_certificate  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    settings = _settings()
    checkpoints = CheckpointLog(checkpoint_file) if checkpoint_file else checkpoint_log(settings)
    database = _database(settings)
    try:
        found = verify_audit_trail(database, checkpoints, lambda: signing_certificate(settings))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot read the checkpoints: {exc}") from exc
    finally:
        database.dispose()
    for line, to_stderr in verification_lines(found):
        click.echo(line, err=to_stderr)
    if not found.ok:
        sys.exit(1)


@audit.group("checkpoint")
def audit_checkpoint() -> None:
    """The signed checkpoints of the audit chain's head."""


@audit_checkpoint.command("export")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def audit_checkpoint_export(target: Path) -> None:
    """Copy the checkpoint file to TARGET, to keep somewhere the lab's server cannot change it."""
    from labsys.certificates.audit_checkpoints import checkpoint_log  # noqa: PLC0415

    checkpoints = checkpoint_log(_settings())
    if not checkpoints.exists():
        raise click.ClickException(f"there are no checkpoints yet: {checkpoints.path} does not exist")
    try:
        count = checkpoints.export(target)
    except OSError as exc:
        raise click.ClickException(f"cannot export the checkpoints: {exc}") from exc
    click.echo(f"{count} checkpoints copied to {target}; check against them with labsys audit verify --checkpoints")


@audit_checkpoint.command("write")
def audit_checkpoint_write() -> None:
    """Checkpoint the chain's head now (each change that adds an event does so by itself)."""
    from labsys.audit import AuditHead  # noqa: PLC0415
    from labsys.certificates.audit_checkpoints import checkpoint_audit_writes  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    settings = _settings()
    database = _database(settings)
    try:
        with database.reading() as session:
            head = session.get(AuditHead, 1)
        if head is None or head.last_id == 0:
            raise click.ClickException("the audit chain is empty: there is nothing to checkpoint")
        made = checkpoint_audit_writes(database, settings).checkpoint(head.last_id, head.last_hash)
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write the checkpoint: {exc}") from exc
    finally:
        database.dispose()
    click.echo(f"checkpoint of event {made.sequence} written")


@main.group()
def bookings() -> None:
    """Bookings and the instrument time they hold."""


@bookings.command("release-no-shows")
def bookings_release_no_shows() -> None:
    """Release the slot of every booking whose slot began more than LABSYS_NO_SHOW_MINUTES ago with no run started
    (each station does this every minute too; running it again changes nothing)."""
    from labsys.bookings.no_show import sweep_no_shows  # noqa: PLC0415

    settings = _settings()
    database = _database(settings)
    try:
        released = sweep_no_shows(database, grace=settings.no_show_after)
    finally:
        database.dispose()
    if not released:
        click.echo("no no-shows to release")
    for booking_id in released:
        click.echo(f"booking {booking_id}: slot released (no run started within {settings.no_show_minutes} min)")


@main.command("plan")
@click.option("--week", required=True, help="The lab week to plan, an ISO week such as 2026-W49.")
@click.option(
    "--time-limit",
    "time_limit_s",
    default=20,
    show_default=True,
    type=click.IntRange(1, 60),
    help="Seconds the solver may think.",
)
@click.option("--apply", "apply_it", is_flag=True, help="Apply the plan at once (one transaction).")
def plan(week: str, time_limit_s: int, apply_it: bool) -> None:
    """Propose the week's plan of waiting work (moved, assigned, unplaceable and why) and, with --apply, apply it."""
    from pydantic import ValidationError  # noqa: PLC0415

    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.planning.schemas import PlanCreate  # noqa: PLC0415
    from labsys.planning.service import PlanningService  # noqa: PLC0415
    from labsys.planning.table import plan_lines  # noqa: PLC0415
    from labsys.scheduling import policy_for  # noqa: PLC0415

    try:
        plan_in = PlanCreate(week=week, time_limit_s=time_limit_s)
    except ValidationError as exc:
        raise click.BadParameter(str(exc.errors()[0]["msg"]), param_hint="--week") from exc
    settings = _settings()
    database = _database(settings)
    service = PlanningService(database, policy_for(settings))
    try:
        proposed = service.propose(plan_in, by=Actor("cli"))
        click.echo("\n".join(plan_lines(proposed, settings.zone)))
        if apply_it:
            applied = service.apply(proposed.id, by=Actor("cli"))
            click.echo(f"plan {applied.id} applied")
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()


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
@click.option(
    "--root-key",
    "root_key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the root CA's private key to this new file, outside the data folder, and move it offline. "
    "Without it the key is printed once on standard output, and kept nowhere.",
)
def keys_init(force: bool, root_key_file: Path | None) -> None:
    """Create the lab's root CA and its document-signing certificate; the lab keeps the signing key and both
    certificates, never the root CA's private key."""
    from labsys.certificates.keys import create_lab_keys, root_key_online  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    settings = _settings()
    try:
        made = create_lab_keys(settings, force=force, root_key_file=root_key_file)
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write the keys: {exc}") from exc
    paths = made.paths
    # What the lab keeps goes to standard error, so that standard output holds the root key alone when it is printed.
    click.echo(f"signing key:         {paths.signing_key} (secret)", err=True)
    click.echo(f"signing certificate: {paths.signing_certificate}", err=True)
    click.echo(f"root certificate:    {paths.ca_certificate} (publish it: readers trust reports through it)", err=True)
    if made.root_key_file is not None:
        click.echo(f"root key:            {made.root_key_file} (secret: move it offline now)", err=True)
    else:
        click.echo(
            "root key: printed below once, and kept nowhere: store it offline (it renews the signing key)", err=True
        )
        click.echo(made.root_key.decode(), nl=False)
    if (stale := root_key_online(settings)) is not None:
        click.echo(f"warning: an earlier root key is still at {stale}: move it offline or delete it", err=True)


@main.group()
def equipment() -> None:
    """The lab's instruments."""


@equipment.command("probe")
@click.argument("resource")
@click.option("--timeout-ms", default=5000, show_default=True, type=click.IntRange(100, 600_000))
def equipment_probe(resource: str, timeout_ms: int) -> None:
    """Ask the instrument at RESOURCE (a VISA resource string) who it is and print the entry to register.

    The entry is the JSON body of POST /api/instruments, cabled to this station (LABSYS_STATION_NAME) and opened
    through LABSYS_VISA_LIBRARY; add the calibration before the instrument is booked.
    """
    from instruments.errors import InstrumentError  # noqa: PLC0415
    from labsys.equipment.probe import proposed_entry  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    settings = _settings()
    try:
        entry = proposed_entry(
            resource, station=settings.station_name, visa_library=settings.visa_library, timeout_ms=timeout_ms
        )
    except InstrumentError as exc:
        raise click.ClickException(str(exc)) from exc
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(entry.model_dump_json(indent=2, include=_PROBED_FIELDS))


_PROBED_FIELDS = {"asset_tag", "kind", "manufacturer", "model", "serial", "firmware", "resource", "driver", "station"}


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


@main.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--base-port", type=int, default=None, help="First port (default: the ports in the bench file).")
@click.option("--control-port", type=int, default=5100, show_default=True, help="Fault injection, on 127.0.0.1.")
@click.pass_context
def sim(context: click.Context, host: str, base_port: int | None, control_port: int) -> None:
    """Run the simulated instrument bench on its own; inject and clear its faults from another shell."""
    if context.invoked_subcommand is not None:
        return
    from labsys.demo.lab import serve_simulated_bench  # noqa: PLC0415

    serve_simulated_bench(host=host, base_port=base_port, control_port=control_port, echo=click.echo)


_CONTROL_PORT = click.option("--control-port", type=int, default=5100, show_default=True, help="The bench's.")


@sim.command("fault")
@click.argument("asset_tag")
@click.argument("kind")
@click.option("--delay-s", type=click.FloatRange(min=0), default=None, help="How late a late_reply comes, in s.")
@_CONTROL_PORT
def sim_fault(asset_tag: str, kind: str, delay_s: float | None, control_port: int) -> None:
    """Make instrument ASSET_TAG of a running bench misbehave: KIND is no_reply, late_reply, partial_line,
    drop_mid_block, garbage, refused_connection or queue_error."""
    from labsys.demo.lab import inject_bench_fault  # noqa: PLC0415

    _on_bench(lambda: inject_bench_fault(asset_tag, kind, delay_s=delay_s, control_port=control_port))
    click.echo(f"{asset_tag}: {kind.lower()}")


@sim.command("clear")
@click.argument("asset_tag")
@_CONTROL_PORT
def sim_clear(asset_tag: str, control_port: int) -> None:
    """Make instrument ASSET_TAG of a running bench behave again."""
    from labsys.demo.lab import clear_bench_faults  # noqa: PLC0415

    _on_bench(lambda: clear_bench_faults(asset_tag, control_port=control_port))
    click.echo(f"{asset_tag}: no fault")


def _on_bench(request: Callable[[], None]) -> None:
    from labsys.errors import LabError  # noqa: PLC0415

    try:
        request()
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc

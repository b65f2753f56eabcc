"""``labsys audit``: verify the audit trail against its signed checkpoints, and export or write them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from labsys.cli.root import main, migrated, settings_or_exit


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

    settings = settings_or_exit()
    checkpoints = CheckpointLog(checkpoint_file) if checkpoint_file else checkpoint_log(settings)
    database = migrated(settings)
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

    checkpoints = checkpoint_log(settings_or_exit())
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

    settings = settings_or_exit()
    database = migrated(settings)
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

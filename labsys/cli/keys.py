"""``labsys keys``: the lab's signing keys for test reports."""

from __future__ import annotations

from pathlib import Path

import click

from labsys.cli.root import main, settings_or_exit


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

    settings = settings_or_exit()
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

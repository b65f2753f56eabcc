"""``labsys equipment``: ask an instrument who it is, to register it."""

from __future__ import annotations

import click

from labsys.cli.root import main, settings_or_exit


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

    settings = settings_or_exit()
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

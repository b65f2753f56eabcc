"""Adding an instrument: what the lab would register for the instrument answering at a VISA resource."""

from __future__ import annotations

import re

from instruments.probe import probe
from labsys.equipment.models import InstrumentCreate
from labsys.errors import NotFound

__all__ = ["proposed_entry", "suggested_asset_tag"]


def suggested_asset_tag(kind: str, serial: str) -> str:
    """An asset tag for a new instrument: its kind and the end of its serial, e.g. ``SMU-4512345``."""
    tail = re.sub(r"[^A-Z0-9]", "", serial.upper())[-8:] or "01"
    return f"{kind.upper()}-{tail}"


def proposed_entry(resource: str, *, station: str, visa_library: str, timeout_ms: int) -> InstrumentCreate:
    """The equipment record to register for what answers at ``resource`` (``*IDN?``), cabled to ``station``;
    uncalibrated until a calibration is recorded.

    Raises:
        NotFound: the catalogue has no driver for the instrument that answers.
        InstrumentError: nothing answers, or the VISA library cannot open the resource (the message says why).
    """
    found = probe(resource, visa_library=visa_library, timeout_ms=timeout_ms)
    identity = found.identity
    if found.driver is None:
        raise NotFound(
            f"{resource} answers {identity.as_idn()!r}, and the driver catalogue has no driver for "
            f"{identity.manufacturer} {identity.model}"
        )
    return InstrumentCreate(
        asset_tag=suggested_asset_tag(found.driver.kind, identity.serial),
        kind=found.driver.kind,
        manufacturer=identity.manufacturer,
        model=identity.model,
        serial=identity.serial,
        firmware=identity.firmware,
        resource=resource,
        driver=found.driver.name,
        station=station,
    )

"""How a station reaches its instruments: a snapshot of each equipment record, and a connector that opens it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from labsys.equipment.models import Instrument

__all__ = ["Connected", "Connector", "InstrumentRef"]


@dataclass(frozen=True)
class InstrumentRef:
    """What a station needs of an equipment record, read once before the run."""

    asset_tag: str
    kind: str
    manufacturer: str
    model: str
    serial: str
    firmware: str
    resource: str
    driver: str
    calibration_due: date | None
    calibrated_on: date | None = None
    calibration_certificate: str = ""

    @classmethod
    def of(cls, row: Instrument) -> InstrumentRef:
        """The snapshot of an equipment record."""
        return cls(
            row.asset_tag,
            row.kind,
            row.manufacturer,
            row.model,
            row.serial,
            row.firmware,
            row.resource,
            row.driver,
            row.calibration_due,
            row.calibrated_on,
            row.calibration_certificate,
        )


@dataclass(frozen=True)
class Connected:
    """An open instrument: its driver and the firmware it reported (``*IDN?``)."""

    driver: Any
    firmware: str


class Connector(Protocol):
    """Opens an instrument for one run and always closes it; refuses one whose identity does not match."""

    def open(self, instrument: InstrumentRef) -> AbstractContextManager[Connected]:
        """Connect, check the identity, yield the driver; close on exit."""
        ...

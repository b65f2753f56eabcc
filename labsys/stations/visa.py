"""The connector a station uses on the lab floor: pyvisa-py to each instrument, identity checked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from instruments.drivers import use_instrument
from labsys.stations.connection import Connected, InstrumentRef

__all__ = ["VisaConnector"]


class VisaConnector:
    """Opens instruments by driver name: one user at a time, ``*IDN?`` checked, always closed.

    Args:
        timeout_ms: how long any one instrument reply may take before the run fails with a timeout; None for each
            driver's own (:attr:`instruments.drivers.DriverEntry.timeout_ms`).
        visa_library: the VISA library: ``@py`` (pyvisa-py) or the path of a vendor's VISA library.
    """

    def __init__(self, *, timeout_ms: int | None = None, visa_library: str = "@py") -> None:
        self.timeout_ms = timeout_ms
        self.visa_library = visa_library

    @contextmanager
    def open(self, instrument: InstrumentRef) -> Iterator[Connected]:
        """Connect to the equipment record's resource with its driver, refusing another model or serial."""
        with use_instrument(
            instrument.driver,
            instrument.resource,
            expected_serial=instrument.serial,
            timeout_ms=self.timeout_ms,
            visa_library=self.visa_library,
        ) as connected:
            yield Connected(connected.instrument, connected.identity.firmware)

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
        timeout_ms: how long any one instrument reply may take before the run fails with a timeout.
    """

    def __init__(self, *, timeout_ms: int = 5000) -> None:
        self.timeout_ms = timeout_ms

    @contextmanager
    def open(self, instrument: InstrumentRef) -> Iterator[Connected]:
        """Connect to the equipment record's resource with its driver, refusing another model or serial."""
        with use_instrument(
            instrument.driver, instrument.resource, expected_serial=instrument.serial, timeout_ms=self.timeout_ms
        ) as connected:
            yield Connected(connected.instrument, connected.identity.firmware)

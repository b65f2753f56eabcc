"""What an instrument says it is: the four fields of an IEEE 488.2 ``*IDN?`` reply."""

from __future__ import annotations

from dataclasses import dataclass

from instruments.errors import InstrumentProtocolError

__all__ = ["Identity", "parse_identity"]


@dataclass(frozen=True, slots=True)
class Identity:
    """An instrument's identity, as it reports it.

    Attributes:
        manufacturer: First field, e.g. ``KEITHLEY INSTRUMENTS``.
        model: Second field, e.g. ``MODEL 2450``.
        serial: Third field, the serial number printed on the instrument.
        firmware: Fourth field, the firmware revision.
    """

    manufacturer: str
    model: str
    serial: str
    firmware: str

    def as_idn(self) -> str:
        """Get the identity as the instrument prints it in reply to ``*IDN?``."""
        return f"{self.manufacturer},{self.model},{self.serial},{self.firmware}"


def parse_identity(reply: str, *, resource: str | None = None) -> Identity:
    """Parse a ``*IDN?`` reply.

    Args:
        reply: The reply without its terminator.
        resource: The VISA resource, for the error message.

    Raises:
        InstrumentProtocolError: The reply does not have four comma-separated fields.
    """
    fields = [field.strip() for field in reply.strip().split(",", 3)]
    if len(fields) != 4 or not all(fields[:3]):
        raise InstrumentProtocolError(f"*IDN? answered {reply!r}, not four fields", resource=resource)
    return Identity(*fields)

"""The instrument layer's exceptions: one hierarchy, so callers catch ``InstrumentError`` once."""

from __future__ import annotations

__all__ = [
    "IdentityMismatch",
    "InstrumentBusy",
    "InstrumentDisconnected",
    "InstrumentError",
    "InstrumentProtocolError",
    "InstrumentReportedError",
    "InstrumentTimeout",
    "InvalidResourceName",
    "UnknownDriver",
    "VisaBackendMissing",
]


class InstrumentError(Exception):
    """Something went wrong between labsys and an instrument.

    Attributes:
        resource: The VISA resource string of the instrument, when known.
    """

    def __init__(self, message: str, *, resource: str | None = None) -> None:
        super().__init__(f"{resource}: {message}" if resource else message)
        self.resource = resource


class UnknownDriver(InstrumentError):
    """The driver name is not one of the lab's drivers."""


class InvalidResourceName(InstrumentError):
    """The text is not a VISA resource string pyvisa can parse (e.g. ``TCPIP0::host::inst0::INSTR``)."""


class VisaBackendMissing(InstrumentError):
    """The VISA library cannot open this kind of resource: a package or the vendor's VISA is not installed."""


class IdentityMismatch(InstrumentError):
    """The instrument answering ``*IDN?`` is not the one the lab expects at that resource."""


class InstrumentTimeout(InstrumentError):
    """The instrument did not answer within the configured timeout."""


class InstrumentDisconnected(InstrumentError):
    """The connection was refused, lost, or broke off in the middle of a reply."""


class InstrumentProtocolError(InstrumentError):
    """The instrument answered something that is not what the command promises."""


class InstrumentBusy(InstrumentError):
    """Another user holds the instrument and did not release it in time."""


class InstrumentReportedError(InstrumentError):
    """The instrument's own error queue (``SYST:ERR?``) holds errors.

    Attributes:
        errors: ``(code, message)`` pairs in the order the instrument reported them.
    """

    def __init__(self, errors: list[tuple[int, str]], *, resource: str | None = None) -> None:
        listed = "; ".join(f"{code},{message!r}" for code, message in errors)
        super().__init__(f"the instrument reports: {listed}", resource=resource)
        self.errors = errors

"""Finding out what is at a VISA resource: ask ``*IDN?`` and match the answer against the driver catalogue."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from pyvisa.errors import VisaIOError

from instruments.adapter import LabVisaAdapter
from instruments.drivers import DriverEntry, match_driver
from instruments.identity import Identity, parse_identity

__all__ = ["Probed", "probe"]


@dataclass(frozen=True, slots=True)
class Probed:
    """What answered at a resource.

    Attributes:
        resource: The VISA resource string asked.
        identity: Its ``*IDN?`` reply.
        driver: The catalogue's driver for it, or None if the lab has none.
    """

    resource: str
    identity: Identity
    driver: DriverEntry | None


def probe(resource: str, *, visa_library: str = "@py", timeout_ms: int = 5000) -> Probed:
    """Ask the instrument at ``resource`` who it is (``*IDN?``, nothing else) and find its driver.

    Args:
        resource: A VISA resource string.
        visa_library: The VISA library: ``@py`` (pyvisa-py) or the path of a vendor's VISA library.
        timeout_ms: How long the reply may take, in ms.

    Raises:
        InvalidResourceName: ``resource`` is not a VISA resource string.
        VisaBackendMissing: The VISA library cannot open this kind of resource; the message says what to install.
        InstrumentTimeout, InstrumentDisconnected, InstrumentProtocolError: Nothing, or not an IEEE 488.2
            instrument, answers.
    """
    adapter = LabVisaAdapter(
        resource,
        visa_library=visa_library,
        timeout=timeout_ms,
        open_timeout=timeout_ms,
        read_termination="\n",
        write_termination="\n",
    )
    try:
        adapter.write("*IDN?")
        identity = parse_identity(adapter.read(), resource=resource)
    finally:
        with suppress(VisaIOError, OSError):
            adapter.close()
    return Probed(resource, identity, match_driver(identity))

"""VISA resource strings: which ones pyvisa can parse, and what a VISA library needs to open each kind.

pyvisa-py (``@py``) opens raw sockets, VXI-11 (``TCPIP0::host::inst0::INSTR``) and HiSLIP
(``TCPIP0::host::hislip0::INSTR``) with nothing more; USB (USBTMC), GPIB and serial resources need a package
each, and without it pyvisa-py raises a bare ``ValueError`` at open. :func:`backend_missing` turns that into an
:class:`~instruments.errors.VisaBackendMissing` that says what to install.
"""

from __future__ import annotations

from pyvisa import constants
from pyvisa.rname import InvalidResourceName as PyvisaInvalidResourceName
from pyvisa.rname import parse_resource_name

from instruments.errors import InvalidResourceName, VisaBackendMissing

__all__ = ["backend_missing", "check_resource_name"]

# What pyvisa-py needs, per interface, to open a resource of that interface.
_PYVISA_PY_NEEDS: dict[constants.InterfaceType, str] = {
    constants.InterfaceType.usb: "pyusb (pip install pyusb) and the libusb-1.0 library (apt-get install libusb-1.0-0)",
    constants.InterfaceType.gpib: "gpib-ctypes (pip install gpib-ctypes) or linux-gpib, and the GPIB card's driver",
    constants.InterfaceType.asrl: "pyserial (pip install pyserial)",
    constants.InterfaceType.vicp: "pyvicp (pip install pyvicp)",
}


def check_resource_name(resource: str) -> str:
    """Check that ``resource`` is a VISA resource string, e.g. ``USB0::0x0957::0x1796::MY123::INSTR``,
    ``GPIB0::22::INSTR``, ``TCPIP0::192.168.1.20::inst0::INSTR`` or ``TCPIP0::192.168.1.20::5025::SOCKET``.

    Returns:
        The resource string without surrounding blanks.

    Raises:
        InvalidResourceName: pyvisa cannot parse it; the message says why.
    """
    try:
        parse_resource_name(resource.strip())
    except PyvisaInvalidResourceName as exc:
        raise InvalidResourceName(
            f"{resource!r} is not a VISA resource string ({exc.args[0].rsplit(': ', 1)[-1]}); "
            "examples: TCPIP0::192.168.1.20::inst0::INSTR, TCPIP0::192.168.1.20::5025::SOCKET, "
            "USB0::0x0957::0x1796::MY12345678::INSTR, GPIB0::22::INSTR"
        ) from None
    return resource.strip()


def backend_missing(resource: str, visa_library: str, reason: Exception) -> VisaBackendMissing:
    """The error for a VISA library that cannot open ``resource`` (``reason`` is what pyvisa raised).

    Args:
        resource: The VISA resource string.
        visa_library: The VISA library asked: ``@py`` for pyvisa-py, or a vendor's library path.
        reason: The exception pyvisa raised: a ``ValueError`` from pyvisa-py for an interface without its package,
            or a ``LibraryError`` for a vendor library that cannot be loaded.
    """
    first_line = str(reason).splitlines()[0] if str(reason) else type(reason).__name__
    if visa_library.strip() == "@py":
        try:
            interface = parse_resource_name(resource).interface_type_const
        except PyvisaInvalidResourceName:
            interface = None
        needs = _PYVISA_PY_NEEDS.get(interface) if interface is not None else None
        install = f"install {needs}" if needs else "install what pyvisa-py asks for"
        return VisaBackendMissing(
            f"pyvisa-py cannot open this resource ({first_line}): {install}, "
            "or use a vendor's VISA library (NI-VISA, Keysight IO Libraries) as the lab's VISA library",
            resource=resource,
        )
    return VisaBackendMissing(
        f"the VISA library {visa_library!r} cannot open this resource ({first_line}): install the vendor's VISA "
        "(NI-VISA, Keysight IO Libraries) at that path, or use pyvisa-py (@py)",
        resource=resource,
    )

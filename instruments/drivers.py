"""The lab's drivers: which driver class talks to which model, and connecting to an instrument.

.. code-block:: python

    with use_instrument("keithley2450", "TCPIP0::127.0.0.1::5101::SOCKET", expected_serial="04512345") as smu:
        smu.instrument.apply_voltage(compliance_current=0.01)
        print(smu.identity.firmware)

``use_instrument`` holds the resource's lock (one user at a time: pyvisa is not thread-safe),
checks ``*IDN?``, clears the error queue (``*CLS``, then ``*OPC?`` so the clear has happened) where the model
has IEEE 488.2 status, runs what the stock driver's ``__init__`` would have sent (the driver's ``prepare()``: the
project's drivers do no I/O when built), and always closes. Each driver keeps the reply timeout its stock PyMeasure
driver sets (the E4980A's 30 s) unless the caller asks for another. Errors from pyvisa and the socket come
out as the :mod:`instruments.errors` hierarchy; after one, the session is cleared before its next command, so a
late reply is never read as the next one (:mod:`instruments.adapter`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from pyvisa.errors import VisaIOError

from instruments.adapter import LabVisaAdapter, translate_errors
from instruments.agilent import Agilent33500, Agilent34410A, AgilentE4980
from instruments.errors import (
    IdentityMismatch,
    InstrumentBusy,
    InstrumentProtocolError,
    InstrumentReportedError,
    UnknownDriver,
)
from instruments.identity import Identity, parse_identity
from instruments.keithley import Keithley2450
from instruments.keysight import KeysightDSOX3024T
from instruments.kinds import DRIVER_KINDS, KINDS
from instruments.watlow import WatlowF4T

__all__ = [
    "DRIVERS",
    "KINDS",
    "ConnectedInstrument",
    "DriverEntry",
    "connect",
    "driver_entry",
    "match_driver",
    "use_instrument",
]

_AGILENT = ("AGILENT TECHNOLOGIES", "KEYSIGHT TECHNOLOGIES")
_MAX_ERRORS_READ = 32
#: The reply timeout of a driver whose stock PyMeasure driver sets none (PyMeasure's VISAAdapter leaves pyvisa's 2 s).
DEFAULT_TIMEOUT_MS = 5000


@dataclass(frozen=True, slots=True)
class DriverEntry:
    """One driver the lab knows by name.

    Attributes:
        name: The stable name the lab stores, e.g. ``keithley2450``.
        driver_class: The PyMeasure instrument class.
        manufacturers: ``*IDN?`` manufacturer fields accepted (upper case).
        models: ``*IDN?`` model fields accepted (upper case).
        timeout_ms: How long one reply may take unless the caller says otherwise, in ms: the stock driver's where
            it sets one.
        status_reporting: Whether the model has IEEE 488.2 status and a SCPI error queue (``*CLS``, ``*OPC?``,
            ``SYST:ERR?``): connecting clears it and a session ends by reading it.
    """

    name: str
    driver_class: type[Any]
    manufacturers: tuple[str, ...]
    models: tuple[str, ...]
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    status_reporting: bool = True

    @property
    def kind(self) -> str:
        """What the lab uses it as: one of :data:`KINDS` (see :data:`instruments.kinds.DRIVER_KINDS`)."""
        return DRIVER_KINDS[self.name]

    def accepts(self, identity: Identity) -> bool:
        """Tell whether an instrument with this identity is one this driver is meant for."""
        return identity.manufacturer.upper() in self.manufacturers and identity.model.upper() in self.models


DRIVERS: dict[str, DriverEntry] = {
    entry.name: entry
    for entry in (
        DriverEntry("keithley2450", Keithley2450, ("KEITHLEY INSTRUMENTS",), ("MODEL 2450",)),
        DriverEntry("agilent34410a", Agilent34410A, _AGILENT, ("34410A",)),
        DriverEntry(
            "agilent33500",
            Agilent33500,
            _AGILENT,
            ("33509B", "33510B", "33511B", "33512B", "33519B", "33520B", "33521A", "33521B", "33522A", "33522B"),
        ),
        DriverEntry("agilente4980", AgilentE4980, _AGILENT, ("E4980A", "E4980AL"), timeout_ms=AgilentE4980.TIMEOUT_MS),
        DriverEntry(
            "keysight_dsox3024t",
            KeysightDSOX3024T,
            _AGILENT,
            ("DSOX3024T", "DSO-X 3024T"),
            timeout_ms=KeysightDSOX3024T.TIMEOUT_MS,
        ),
        DriverEntry("watlow_f4t", WatlowF4T, ("WATLOW",), ("F4T",), status_reporting=False),
    )
}


def driver_entry(name: str) -> DriverEntry:
    """Get a driver's entry.

    Raises:
        UnknownDriver: No driver of that name.
    """
    try:
        return DRIVERS[name]
    except KeyError:
        raise UnknownDriver(f"no driver {name!r}; the lab's drivers are {sorted(DRIVERS)}") from None


def match_driver(identity: Identity) -> DriverEntry | None:
    """Get the lab's driver for an instrument that answers ``*IDN?`` with ``identity``, or None if none fits."""
    return next((entry for entry in DRIVERS.values() if entry.accepts(identity)), None)


@dataclass(slots=True)
class ConnectedInstrument:
    """An open, identified instrument.

    Attributes:
        driver: The name of its driver.
        resource: Its VISA resource string.
        identity: What it answered to ``*IDN?``.
        instrument: The PyMeasure driver instance.
    """

    driver: str
    resource: str
    identity: Identity
    instrument: Any
    status_reporting: bool = True

    def raise_for_errors(self) -> None:
        """Read the instrument's error queue empty (``SYST:ERR?``).

        Raises:
            InstrumentReportedError: The queue held errors.
        """
        if not self.status_reporting:
            return  # no error queue to read (the F4T's SCPI has none)
        errors: list[tuple[int, str]] = []
        with translate_errors(self.resource):
            for _ in range(_MAX_ERRORS_READ):
                code_text, _, message = str(self.instrument.ask("SYST:ERR?")).strip().partition(",")
                code = _error_code(code_text, self.resource)
                if code == 0:
                    break
                errors.append((code, message.strip().strip('"')))
        if errors:
            raise InstrumentReportedError(errors, resource=self.resource)

    @property
    def link_failed(self) -> bool:
        """Get whether a read or write of this session failed (the adapter clears the session before the next
        command: see :mod:`instruments.adapter`)."""
        return bool(getattr(self.instrument.adapter, "link_failed", False))

    def close(self) -> None:
        """Close the connection; closing twice or after the link died is harmless."""
        with suppress(VisaIOError, OSError):
            self.instrument.adapter.close()


def _error_code(text: str, resource: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InstrumentProtocolError(f"SYST:ERR? answered {text!r}", resource=resource) from None


def connect(
    driver: str,
    resource: str,
    *,
    expected_serial: str | None = None,
    timeout_ms: int | None = None,
    visa_library: str = "@py",
) -> ConnectedInstrument:
    """Open an instrument, check who answers, clear its status and prepare it as its stock driver would.

    The caller closes it (or uses :func:`use_instrument`, which also holds the resource's lock).

    Args:
        driver: A driver name, e.g. ``keithley2450``.
        resource: A VISA resource string, e.g. ``TCPIP0::127.0.0.1::5101::SOCKET``, ``TCPIP0::host::inst0::INSTR``
            (VXI-11), ``TCPIP0::host::hislip0::INSTR``, ``USB0::0x0957::0x1796::MY123::INSTR``, ``GPIB0::22::INSTR``.
        expected_serial: The serial the lab registered for this asset; None accepts any.
        timeout_ms: How long any one reply may take, in ms; None for the driver's own (:attr:`DriverEntry.timeout_ms`).
        visa_library: The VISA library: ``@py`` (pyvisa-py) or the path of a vendor's VISA library.

    Raises:
        UnknownDriver: ``driver`` is not one of :data:`DRIVERS`.
        InvalidResourceName: ``resource`` is not a VISA resource string.
        VisaBackendMissing: The VISA library cannot open this kind of resource; the message says what to install.
        IdentityMismatch: The model or serial is not the expected one.
        InstrumentTimeout, InstrumentDisconnected, InstrumentProtocolError: The link failed.
    """
    entry = driver_entry(driver)
    timeout = entry.timeout_ms if timeout_ms is None else timeout_ms
    adapter = LabVisaAdapter(
        resource,
        visa_library=visa_library,
        timeout=timeout,
        open_timeout=timeout,
        read_termination="\n",
        write_termination="\n",
    )
    connected = ConnectedInstrument(
        driver, resource, Identity("", "", "", ""), entry.driver_class(adapter), entry.status_reporting
    )
    try:
        with translate_errors(resource):
            connected.identity = parse_identity(str(connected.instrument.ask("*IDN?")), resource=resource)
            _check_identity(entry, connected.identity, expected_serial, resource)
            if entry.status_reporting:
                connected.instrument.write("*CLS")
                # Wait until the instrument has executed *CLS: an error it queues from now on belongs to this session.
                connected.instrument.ask("*OPC?")
            prepare = getattr(connected.instrument, "prepare", None)
            if prepare is not None:
                prepare()
    except BaseException:
        connected.close()
        raise
    return connected


def _check_identity(entry: DriverEntry, identity: Identity, expected_serial: str | None, resource: str) -> None:
    if not entry.accepts(identity):
        raise IdentityMismatch(
            f"driver {entry.name} expects {'/'.join(entry.models)} by {'/'.join(entry.manufacturers)}, "
            f"but {identity.manufacturer} {identity.model} answers",
            resource=resource,
        )
    if expected_serial is not None and identity.serial != expected_serial:
        raise IdentityMismatch(
            f"expected serial {expected_serial}, but {identity.model} serial {identity.serial} answers",
            resource=resource,
        )


_locks_guard = threading.Lock()
_resource_locks: dict[str, threading.Lock] = {}


def _lock_for(resource: str) -> threading.Lock:
    with _locks_guard:
        return _resource_locks.setdefault(resource, threading.Lock())


@contextmanager
def use_instrument(
    driver: str,
    resource: str,
    *,
    expected_serial: str | None = None,
    timeout_ms: int | None = None,
    visa_library: str = "@py",
    lock_timeout_s: float = 30.0,
    check_errors_on_exit: bool = True,
) -> Iterator[ConnectedInstrument]:
    """Hold an instrument for one user: lock, connect, yield, check its error queue, always close.

    Args:
        driver: A driver name.
        resource: A VISA resource string.
        expected_serial: The serial the lab registered; None accepts any.
        timeout_ms: How long any one reply may take, in ms; None for the driver's own.
        visa_library: The VISA library: ``@py`` (pyvisa-py) or the path of a vendor's VISA library.
        lock_timeout_s: How long to wait for another user of the same resource, in s.
        check_errors_on_exit: Read ``SYST:ERR?`` when the block ends normally and raise if the instrument reported
            errors during the session, where the model has an error queue (skipped once an exchange failed: the
            session's result is a failure already, and an instrument still misbehaving would only add a second one).

    Raises:
        InstrumentBusy: Another user held the resource for longer than ``lock_timeout_s``.
        InstrumentReportedError: The instrument queued errors during the session.
        InstrumentError: Any other failure, as :func:`connect` and :func:`translate_errors` say.
    """
    lock = _lock_for(resource)
    if not lock.acquire(timeout=lock_timeout_s):
        raise InstrumentBusy(f"in use by another user for more than {lock_timeout_s} s", resource=resource)
    try:
        connected = connect(
            driver, resource, expected_serial=expected_serial, timeout_ms=timeout_ms, visa_library=visa_library
        )
        try:
            with translate_errors(resource):
                yield connected
            if check_errors_on_exit and not connected.link_failed:
                connected.raise_for_errors()
        finally:
            connected.close()
    finally:
        lock.release()

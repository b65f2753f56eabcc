"""The VISA adapter the lab's drivers talk through: pyvisa failures become instrument errors, and a session that
failed is cleared before it is used again.

Every read and write of a driver goes through here, so a timeout inside a procedure is an
:class:`~instruments.errors.InstrumentTimeout` at the line that caused it, not a pyvisa error
that only a wrapper far up the stack understands.

After a timeout or a protocol error the reply may still be on its way (the instrument was slow, not mute), or half
of it may be left unread; read next, it would be taken for the reply to the next query: a late resistance read as a
voltage. So the next command first clears the session (``docs/decisions/0013-clearing-a-failed-session.md``): a raw
socket (``::SOCKET``), which has no device clear, is closed and opened again, so whatever the instrument still sends
goes to a connection nobody reads; any other resource (VXI-11, HiSLIP, USBTMC, GPIB) gets a VISA device clear,
which makes the instrument drop its pending output, and its input buffers flushed.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from pymeasure.adapters import VISAAdapter
from pyvisa import constants
from pyvisa.errors import Error as PyvisaError
from pyvisa.errors import InvalidBinaryFormat, LibraryError, VisaIOError
from pyvisa_py.sessions import UnknownAttribute

from instruments.errors import (
    InstrumentDisconnected,
    InstrumentError,
    InstrumentProtocolError,
    InstrumentTimeout,
)
from instruments.resources import backend_missing, check_resource_name

__all__ = ["LabVisaAdapter", "translate_errors"]

log = logging.getLogger(__name__)
# The buffers a device clear leaves in the VISA library: what it read ahead, and what the interface received.
_DISCARD_INPUT = constants.BufferOperation.discard_read_buffer_no_io | constants.BufferOperation.discard_receive_buffer


@contextmanager
def translate_errors(resource: str | None = None) -> Iterator[None]:
    """Turn pyvisa and socket failures inside the block into :class:`InstrumentError` subclasses.

    A timeout becomes :class:`InstrumentTimeout`; a lost or refused connection
    :class:`InstrumentDisconnected`; bytes that are not a valid reply (non-ASCII, a malformed
    block) :class:`InstrumentProtocolError`. A ``ValueError`` from a driver's validator is the
    caller's mistake and passes through unchanged.
    """
    try:
        yield
    except InstrumentError as exc:
        if exc.resource is None and resource is not None:
            exc.resource = resource
            exc.args = (f"{resource}: {exc.args[0]}",)
        raise
    except VisaIOError as exc:
        if exc.error_code == constants.StatusCode.error_timeout:
            raise InstrumentTimeout(f"no reply in time ({exc.description})", resource=resource) from exc
        raise InstrumentDisconnected(f"connection failed: {exc.description}", resource=resource) from exc
    except (UnicodeDecodeError, InvalidBinaryFormat) as exc:
        raise InstrumentProtocolError(f"unreadable reply: {exc}", resource=resource) from exc
    except OSError as exc:
        raise InstrumentDisconnected(f"connection failed: {exc}", resource=resource) from exc


def _send_without_delay(connection: Any) -> None:
    """Turn Nagle's algorithm off on a raw-socket connection (VI_ATTR_TCPIP_NODELAY, as NI-VISA does by default).

    A sweep's step is a command then a query: two small writes, and with Nagle's algorithm the query waits for the
    instrument's delayed ACK of the command, about 40 ms a step. pyvisa-py 0.8 wires this attribute's setter to one
    that refuses it, so its socket is set directly there.
    """
    try:
        connection.set_visa_attribute(constants.ResourceAttribute.tcpip_nodelay, constants.VI_TRUE)
    except (UnknownAttribute, VisaIOError):
        sessions = getattr(connection.visalib, "sessions", {})
        interface = getattr(sessions.get(connection.session), "interface", None)
        if isinstance(interface, socket.socket):
            interface.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class LabVisaAdapter(VISAAdapter):  # type: ignore[misc]  # pymeasure is untyped
    """A PyMeasure VISA adapter whose failures are :class:`InstrumentError` subclasses, and which clears its session
    before the next command once a read or write failed.
    """

    connection: Any

    def __init__(self, resource_name: str, *, visa_library: str = "@py", **kwargs: Any) -> None:
        """Open ``resource_name`` through ``visa_library`` (``@py`` for pyvisa-py, or a vendor's VISA library path).

        Raises:
            InvalidResourceName: ``resource_name`` is not a VISA resource string.
            VisaBackendMissing: The VISA library cannot be loaded, or cannot open this kind of resource (pyvisa-py
                without pyusb for ``USB…``, without gpib-ctypes for ``GPIB…``); the message says what to install.
            InstrumentTimeout, InstrumentDisconnected: Nothing answers at the resource.
        """
        self._stale = False
        self.link_failed = False
        check_resource_name(resource_name)
        with translate_errors(resource_name):
            try:
                super().__init__(resource_name, visa_library=visa_library, **kwargs)
            except (LibraryError, ValueError) as exc:
                # pyvisa-py raises ValueError("Please install PyUSB ...") for an interface whose package is missing
                raise backend_missing(resource_name, visa_library, exc) from exc
            if _is_socket(resource_name):
                _send_without_delay(self.connection)
        self._reopen_options: dict[str, Any] = {
            "read_termination": self.connection.read_termination,
            "write_termination": self.connection.write_termination,
            **{key: kwargs[key] for key in ("timeout", "open_timeout") if key in kwargs},
        }

    @property
    def link_failed(self) -> bool:
        """Get whether a read or write of this session failed (a late or half-read reply, a closed socket); the
        session is cleared before its next command."""
        return self._failed

    @link_failed.setter
    def link_failed(self, failed: bool) -> None:
        """Set that an exchange failed (as a block transfer does when it stops halfway): the next command clears."""
        self._failed = failed
        self._stale = self._stale or failed

    @contextmanager
    def _link(self) -> Iterator[None]:
        try:
            with translate_errors(self.resource_name):
                if self._stale:
                    self._clear_session()
                yield
        except InstrumentError:
            self.link_failed = True
            raise

    def _clear_session(self) -> None:
        """Make sure nothing sent before the failure is read after it: reopen a raw socket, device-clear the rest."""
        if _is_socket(self.resource_name):
            self._reopen()
        else:
            try:
                self.connection.clear()
            except (VisaIOError, NotImplementedError, AttributeError):
                self._reopen()
            else:
                with suppress(VisaIOError, NotImplementedError):
                    self.connection.flush(_DISCARD_INPUT)
        self._stale = False
        log.info("%s: the session was cleared after a failed exchange", self.resource_name)

    def _reopen(self) -> None:
        """Close the connection and open a new one with the same terminations and timeout."""
        options = dict(self._reopen_options)
        with suppress(PyvisaError, OSError):  # a connection that failed may be gone already
            options["timeout"] = self.connection.timeout  # a driver may have changed it since
            self.connection.close()
        self.connection = self.manager.open_resource(self.resource_name, **options)
        if _is_socket(self.resource_name):
            _send_without_delay(self.connection)

    def _write(self, command: str, **kwargs: Any) -> None:
        with self._link():
            super()._write(command, **kwargs)

    def _write_bytes(self, content: bytes, **kwargs: Any) -> None:
        with self._link():
            super()._write_bytes(content, **kwargs)

    def _read(self, **kwargs: Any) -> str:
        with self._link():
            return str(super()._read(**kwargs))

    def _read_bytes(self, count: int, break_on_termchar: bool = False, **kwargs: Any) -> bytes:
        with self._link():
            return bytes(super()._read_bytes(count, break_on_termchar, **kwargs))


def _is_socket(resource_name: str) -> bool:
    """Whether a resource is a raw TCP socket (``TCPIP0::host::port::SOCKET``), which has no device clear."""
    name = resource_name.upper()
    return name.startswith("TCPIP") and name.endswith("::SOCKET")

"""The VISA adapter the lab's drivers talk through: pyvisa failures become instrument errors.

Every read and write of a driver goes through here, so a timeout inside a procedure is an
:class:`~instruments.errors.InstrumentTimeout` at the line that caused it, not a pyvisa error
that only a wrapper far up the stack understands.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pymeasure.adapters import VISAAdapter
from pyvisa import constants
from pyvisa.errors import InvalidBinaryFormat, VisaIOError
from pyvisa_py.sessions import UnknownAttribute

from instruments.errors import (
    InstrumentDisconnected,
    InstrumentError,
    InstrumentProtocolError,
    InstrumentTimeout,
)

__all__ = ["LabVisaAdapter", "translate_errors"]


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
    """A PyMeasure VISA adapter whose failures are :class:`InstrumentError` subclasses.

    Attributes:
        link_failed: True once a read or write failed; the state of the link (a half-read reply,
            a closed socket) is then unknown and the connection should be closed, not reused.
    """

    def __init__(self, resource_name: str, **kwargs: Any) -> None:
        self.link_failed = False
        with translate_errors(resource_name):
            super().__init__(resource_name, **kwargs)
            if resource_name.upper().startswith("TCPIP") and resource_name.upper().endswith("::SOCKET"):
                _send_without_delay(self.connection)

    @contextmanager
    def _link(self) -> Iterator[None]:
        try:
            with translate_errors(self.resource_name):
                yield
        except InstrumentError:
            self.link_failed = True
            raise

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

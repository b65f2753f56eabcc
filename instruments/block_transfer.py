"""Reading IEEE 488.2 definite-length binary blocks (``#<n><length><payload>\\n``) fast, whole or piece by piece.

Measured on 8 MB blocks over loopback when this module was written: pyvisa's ``query_binary_values``
ran at ~1/75 of a raw socket, because with the termination character on pyvisa-py stops at every
newline byte inside the payload and copies the rest of its buffer each time. With it off and
pyvisa's counted ``read_bytes``, the payload is still copied five times (~1/3 of the socket). So on a
pyvisa-py TCP socket the payload is received straight into preallocated buffers (one for the whole block, or
one per piece when it is streamed); any other resource (another VISA library, PyMeasure's protocol tests) takes
pyvisa's counted read. ``benchmarks/visa_waveform.py`` compares the driver with a raw socket.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pyvisa import constants
from pyvisa.resources import MessageBasedResource

from instruments.errors import InstrumentDisconnected, InstrumentProtocolError, InstrumentTimeout

__all__ = ["block_length", "block_length_digits", "read_block", "stream_block"]

_DEFAULT_TIMEOUT_S = 5.0


def read_block(instrument: Any, command: str) -> memoryview:
    """Send ``command`` and get the payload of the definite-length block it answers, whole.

    Args:
        instrument: A PyMeasure instrument.
        command: The query, e.g. ``:WAV:DATA?``.

    Raises:
        InstrumentProtocolError: The reply is not a definite-length block.
        InstrumentDisconnected: The block broke off (connection closed, or silent for the timeout).
    """
    pieces: list[bytes | bytearray] = []
    stream_block(instrument, command, pieces.append, piece_bytes=None)
    return memoryview(pieces[0] if pieces else b"")


def stream_block(
    instrument: Any, command: str, consume: Callable[[bytes | bytearray], None], *, piece_bytes: int | None
) -> int:
    """Send ``command`` and hand the payload of the definite-length block it answers to ``consume`` piece by piece,
    as it arrives, so that a long block is never held whole.

    Args:
        instrument: A PyMeasure instrument.
        command: The query, e.g. ``:WAV:DATA?``.
        consume: Called with each piece, in order: ``piece_bytes`` long but the last. Each is a new buffer.
        piece_bytes: The size of a piece (a multiple of the item size, so no item is split); None for one piece.

    Returns:
        The payload's length in bytes.

    Raises:
        InstrumentProtocolError: The reply is not a definite-length block.
        InstrumentDisconnected: The block broke off (connection closed, or silent for the timeout).
        Exception: What ``consume`` raised; the rest of the block is left unread.
    """
    if piece_bytes is not None and piece_bytes < 1:
        raise ValueError(f"a piece must hold at least one byte, not {piece_bytes}")
    try:
        return _transfer(instrument, command, consume, piece_bytes)
    except BaseException:
        # A half-read block leaves the link unusable: tell the adapter, so nobody queries on it.
        if hasattr(instrument.adapter, "link_failed"):
            instrument.adapter.link_failed = True
        raise


def _transfer(
    instrument: Any, command: str, consume: Callable[[bytes | bytearray], None], piece_bytes: int | None
) -> int:
    """Write the query, read the block's header, then its payload piece by piece and its closing newline."""
    instrument.write(command)
    with _termination_character_off(instrument.adapter) as direct:
        digits = block_length_digits(instrument.read_bytes(2))
        length = block_length(instrument.read_bytes(digits))
        received = 0
        while received < length:
            count = min(length - received, piece_bytes or length)
            piece = _receive(instrument, direct, count, done=received, total=length + 1)
            received += len(piece)
            if len(piece) != count:
                raise InstrumentDisconnected(f"block broke off after {received} of {length + 1} bytes")
            consume(piece)
            del piece  # before the next is allocated: two alive at once made malloc give the memory back each time
        end = _receive(instrument, direct, 1, done=length, total=length + 1)
    if end != b"\n":
        raise InstrumentDisconnected(f"block broke off after {length} of {length + 1} bytes: ends with {end!r}")
    return length


def _receive(instrument: Any, direct: Any | None, count: int, *, done: int, total: int) -> bytes | bytearray:
    """Read the next ``count`` bytes of a block of ``total`` bytes of which ``done`` are read: straight from the
    pyvisa-py socket if there is one, else counted."""
    if direct is not None:
        return _receive_exactly(direct, count, done=done, total=total)
    try:
        return bytes(instrument.read_bytes(count))
    except InstrumentTimeout as exc:
        raise InstrumentDisconnected(f"block of {total} bytes broke off after {done}: {exc}") from exc


@contextmanager
def _termination_character_off(adapter: Any) -> Iterator[Any | None]:
    """Turn the termination character off for a block; yield the pyvisa-py session if direct reads work."""
    connection = getattr(adapter, "connection", None)
    if not isinstance(connection, MessageBasedResource):
        yield None
        return
    session = getattr(connection.visalib, "sessions", {}).get(connection.session)
    direct = session if isinstance(getattr(session, "interface", None), socket.socket) else None
    if direct is not None and not isinstance(getattr(direct, "_pending_buffer", None), bytearray):
        direct = None
    connection.set_visa_attribute(constants.ResourceAttribute.termchar_enabled, constants.VI_FALSE)
    try:
        yield direct
    finally:
        connection.set_visa_attribute(constants.ResourceAttribute.termchar_enabled, constants.VI_TRUE)


def _receive_exactly(session: Any, count: int, *, done: int, total: int) -> bytearray:
    """Receive ``count`` bytes into one buffer: what pyvisa-py already holds, then the socket (``done`` of the
    block's ``total`` bytes are read before, for the messages).

    The timeout is the session's, counted from the last byte received, so a long block is not cut
    short while it keeps arriving.
    """
    buffer = bytearray(count)
    view = memoryview(buffer)
    pending: bytearray = session._pending_buffer
    received = min(len(pending), count)
    view[:received] = pending[:received]
    del pending[:received]
    link: socket.socket = session.interface
    timeout_s = session.timeout if isinstance(session.timeout, int | float) else _DEFAULT_TIMEOUT_S
    deadline = time.monotonic() + timeout_s
    while received < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise InstrumentDisconnected(f"block stopped after {done + received} of {total} bytes for {timeout_s} s")
        ready, _, _ = select.select([link], [], [], remaining)
        if not ready:
            continue
        got = link.recv_into(view[received:])
        if got == 0:
            raise InstrumentDisconnected(f"connection closed after {done + received} of {total} bytes of a block")
        received += got
        deadline = time.monotonic() + timeout_s
    return buffer


def block_length_digits(prefix: bytes) -> int:
    """Get how many length digits follow ``#<n>``, the first two bytes of a definite-length block.

    Raises:
        InstrumentProtocolError: The bytes do not start an IEEE 488.2 definite-length block.
    """
    if len(prefix) != 2 or prefix[:1] != b"#" or not prefix[1:].isdigit() or prefix[1:] == b"0":
        raise InstrumentProtocolError(f"not a definite-length block: starts with {prefix!r}")
    return int(prefix[1:])


def block_length(digits: bytes) -> int:
    """Get the payload length in bytes from the length digits of a definite-length block.

    Raises:
        InstrumentProtocolError: The digits are not a decimal number.
    """
    if not digits.isdigit():
        raise InstrumentProtocolError(f"block length is not a number: {digits!r}")
    return int(digits)

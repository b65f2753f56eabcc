"""One instrument's TCP server: a line in, the replies of its queries out, faults applied."""

from __future__ import annotations

import asyncio
import contextlib

from instruments.sim.faults import Fault
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import Reply

__all__ = ["GARBAGE_REPLY", "InstrumentServer"]

#: What an instrument with ``Fault.GARBAGE`` answers: bytes no ASCII instrument sends.
GARBAGE_REPLY = b"\xff\xfe\x80\x9f\xc3(\x81"
_LINE_LIMIT_BYTES = 1 << 20


class InstrumentServer:
    """Serves one simulated instrument on a TCP port; any number of connections, one at a time each.

    Args:
        instrument: The instrument that answers.
    """

    def __init__(self, instrument: SimulatedInstrument) -> None:
        self.instrument = instrument
        self.server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        """Get the TCP port the server listens on."""
        if self.server is None:
            raise RuntimeError("the server is not started")
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (port 0: the OS picks one)."""
        self.server = await asyncio.start_server(self._serve, host, port, limit=_LINE_LIMIT_BYTES)

    async def stop(self) -> None:
        """Stop listening and cut every open connection, as a powered-off instrument does."""
        if self.server is not None:
            self.server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        if self.server is not None:
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while line := await reader.readline():
                # Latin-1 keeps every byte of a binary block as one character; SCPI itself is ASCII.
                replies = self.instrument.execute(line.decode("latin-1").rstrip("\r\n"))
                if replies and not await self._answer(writer, replies):
                    return
        except (ConnectionError, ValueError, asyncio.LimitOverrunError):
            return  # the client went away or sent a line longer than any command
        finally:
            self._writers.discard(writer)
            writer.transport.abort()

    async def _answer(self, writer: asyncio.StreamWriter, replies: list[Reply]) -> bool:
        """Write the replies of one message; False when the connection was dropped on purpose."""
        faults = self.instrument.faults
        if Fault.NO_REPLY in faults:
            return True
        if Fault.LATE_REPLY in faults:
            # The instrument is busy past the client's timeout; what it sends then is still on this connection.
            await asyncio.sleep(self.instrument.late_reply_s)
        if Fault.GARBAGE in faults:
            writer.write(GARBAGE_REPLY + b"\n")
        elif all(isinstance(reply, str) for reply in replies):
            writer.write(";".join(str(reply) for reply in replies).encode("ascii") + b"\n")
        else:
            for reply in replies:
                data = reply if isinstance(reply, bytes) else reply.encode("ascii")
                if isinstance(reply, bytes) and Fault.DROP_MID_BLOCK in faults:
                    # close(), not abort(): the first half reaches the client, then the link ends.
                    writer.write(data[: len(data) // 2])
                    writer.close()
                    with contextlib.suppress(ConnectionError):
                        await writer.wait_closed()
                    return False
                writer.write(data)
                writer.write(b"\n")
        await writer.drain()
        return True

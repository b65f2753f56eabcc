"""One instrument's TCP server: a line in, the replies of its queries out, faults applied.

Each instrument executes its commands in a thread of its own, off the event loop that all the bench's servers
share, so that one instrument's work (a scope building a record of millions of points) never delays another's
replies; one instrument still executes one message at a time, as the hardware does.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from instruments.sim.faults import Fault
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import Reply

__all__ = ["GARBAGE_REPLY", "InstrumentServer"]

#: What an instrument with ``Fault.GARBAGE`` answers: bytes no ASCII instrument sends.
GARBAGE_REPLY = b"\xff\xfe\x80\x9f\xc3(\x81"
_LINE_LIMIT_BYTES = 1 << 20
_STOP_TIMEOUT_S = 2.0
_T = TypeVar("_T")


class InstrumentServer:
    """Serves one simulated instrument on a TCP port; any number of connections, one message at a time.

    Args:
        instrument: The instrument that answers.
    """

    def __init__(self, instrument: SimulatedInstrument) -> None:
        self.instrument = instrument
        self.server: asyncio.Server | None = None
        self._address: tuple[str, int] | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._connections: set[_Connection] = set()
        self._serving: set[asyncio.Task[None]] = set()
        self._executor: ThreadPoolExecutor | None = None

    @property
    def port(self) -> int:
        """Get the TCP port the server listens on (kept while ``Fault.REFUSED_CONNECTION`` closes it)."""
        if self._address is None:
            raise RuntimeError("the server is not started")
        return self._address[1]

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (port 0: the OS picks one)."""
        tag = self.instrument.spec.asset_tag
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"simulated-{tag}")
        await self._listen(host, port)

    async def stop(self) -> None:
        """Stop listening and cut every open connection, as a powered-off instrument does."""
        for connection in list(self._connections):
            connection.close()  # work that would never end (an acquisition with no trigger) ends now
        self.instrument.device_clear()
        await self._close()
        if self._serving:
            await asyncio.wait(list(self._serving), timeout=_STOP_TIMEOUT_S)
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._address = None

    async def inject(self, fault: Fault, *, delay_s: float | None = None) -> None:
        """Start a fault on this instrument (see :class:`~instruments.sim.faults.Fault`)."""
        await self._in_instrument(functools.partial(self.instrument.inject, fault, delay_s=delay_s))
        if fault is Fault.REFUSED_CONNECTION:
            await self._close()

    async def clear_faults(self) -> None:
        """Stop every fault on this instrument; a port closed by ``Fault.REFUSED_CONNECTION`` listens again."""
        await self._in_instrument(self.instrument.clear_faults)
        if self.server is None and self._address is not None:
            await self._listen(*self._address)

    async def _listen(self, host: str, port: int) -> None:
        self.server = await asyncio.start_server(self._serve, host, port, limit=_LINE_LIMIT_BYTES)
        self._address = (host, int(self.server.sockets[0].getsockname()[1]))

    async def _close(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        if server is not None:
            await server.wait_closed()

    async def _in_instrument(self, work: Callable[[], _T]) -> _T:
        """Run ``work`` in the instrument's own thread, where its state changes (inline when not started)."""
        if self._executor is None:
            return work()
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        connection = _Connection(reader)
        self._connections.add(connection)
        serving = asyncio.current_task()
        if serving is not None:
            self._serving.add(serving)
        try:
            while line := await connection.next_line():
                # Latin-1 keeps every byte of a binary block as one character; SCPI itself is ASCII.
                message = line.decode("latin-1").rstrip("\r\n")
                execute = functools.partial(self.instrument.execute, message, interrupt=connection.abandoned)
                execution = asyncio.ensure_future(self._in_instrument(execute))
                await connection.read_while(execution)
                replies = await execution
                if connection.closed:
                    continue  # what the client sent before it closed still runs; its replies go nowhere
                if replies and not await self._answer(writer, replies):
                    return
        except (ConnectionError, ValueError, asyncio.LimitOverrunError):
            return  # the client went away or sent a line longer than any command
        finally:
            connection.close()
            self._connections.discard(connection)
            if serving is not None:
                self._serving.discard(serving)
            self._writers.discard(writer)
            writer.transport.abort()

    async def _answer(self, writer: asyncio.StreamWriter, replies: list[Reply]) -> bool:
        """Write the replies of one message; False when the connection was dropped on purpose."""
        faults = set(self.instrument.faults)
        if Fault.NO_REPLY in faults:
            return True
        if Fault.LATE_REPLY in faults:
            # The instrument is busy past the client's timeout; what it sends then is still on this connection.
            await asyncio.sleep(self.instrument.late_reply_s)
        if Fault.GARBAGE in faults:
            writer.write(GARBAGE_REPLY + b"\n")
        elif all(isinstance(reply, str) for reply in replies):
            line = ";".join(str(reply) for reply in replies).encode("ascii")
            # Half a line and no terminator: the client waits for the rest, which never comes.
            writer.write(line[: max(1, len(line) // 2)] if Fault.PARTIAL_LINE in faults else line + b"\n")
        else:
            return await self._write_blocks(writer, replies, faults)
        await writer.drain()
        return True

    async def _write_blocks(self, writer: asyncio.StreamWriter, replies: list[Reply], faults: set[Fault]) -> bool:
        for reply in replies:
            data = reply if isinstance(reply, bytes) else reply.encode("ascii")
            if isinstance(reply, bytes) and faults & {Fault.DROP_MID_BLOCK, Fault.PARTIAL_LINE}:
                writer.write(data[: len(data) // 2])
                if Fault.PARTIAL_LINE in faults:
                    await writer.drain()
                    return True
                # close(), not abort(): the first half reaches the client, then the link ends.
                writer.close()
                with contextlib.suppress(ConnectionError):
                    await writer.wait_closed()
                return False
            writer.write(data)
            writer.write(b"\n")
        await writer.drain()
        return True


class _Connection:
    """One client's connection: the lines it sends, read ahead while its instrument works so that its closing is
    noticed at once.

    A raw socket has no device clear: a client that timed out closes it and opens another
    (``docs/decisions/0013-clearing-a-failed-session.md``). Work done for a connection that closed ends at once
    (:attr:`abandoned`), or an acquisition that never triggers would hold the instrument for good, as a real scope
    holds its parser until a device clear; the commands it sent before closing still run, as they would on the
    instrument.
    """

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader
        self._waiting: deque[bytes] = deque()
        self._reading: asyncio.Future[bytes] | None = None
        self.closed = False
        #: Set once the client closed the connection (or the bench stops): the instrument's waits for it end.
        self.abandoned = threading.Event()

    async def next_line(self) -> bytes:
        """Get the next line the client sent, b"" once there are no more.

        Raises:
            ConnectionError, ValueError, asyncio.LimitOverrunError: The connection broke, or the line is too long.
        """
        if self._waiting:
            return self._waiting.popleft()
        if self.closed:
            return b""
        reading, self._reading = self._reading or asyncio.ensure_future(self._reader.readline()), None
        try:
            line = await reading
        except BaseException:
            self.close()
            raise
        if not line:
            self.close()
        return line

    async def read_while(self, work: asyncio.Future[Any]) -> None:
        """Wait until ``work`` is done, keeping what the client sends meanwhile and noticing if it closes."""
        while not work.done() and not self.closed:
            self._reading = self._reading or asyncio.ensure_future(self._reader.readline())
            await asyncio.wait([work, self._reading], return_when=asyncio.FIRST_COMPLETED)
            if self._reading.done():
                reading, self._reading = self._reading, None
                if reading.cancelled() or reading.exception() is not None or not reading.result():
                    self.close()
                else:
                    self._waiting.append(reading.result())

    def close(self) -> None:
        """Take the connection as closed: stop reading and end the instrument's waits for it."""
        self.closed = True
        self.abandoned.set()
        if self._reading is not None:
            self._reading.cancel()

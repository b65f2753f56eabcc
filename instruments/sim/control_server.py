"""The bench's side of the control port (see :mod:`instruments.sim.control` for the protocol)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from instruments.sim.control import ControlError, parse_request
from instruments.sim.server import InstrumentServer

__all__ = ["ControlServer"]

_LINE_LIMIT_BYTES = 4096


class ControlServer:
    """Takes fault injections for the bench's instruments over TCP, on the bench's event loop.

    Args:
        servers: The bench's instrument servers by asset tag.
    """

    def __init__(self, servers: Mapping[str, InstrumentServer]) -> None:
        self._servers = servers
        self.server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        """Get the TCP port it listens on."""
        if self.server is None:
            raise RuntimeError("the control port is not open")
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (port 0: the OS picks one)."""
        self.server = await asyncio.start_server(self._serve, host, port, limit=_LINE_LIMIT_BYTES)

    async def stop(self) -> None:
        """Stop listening."""
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                answer = await self._answer(line.decode("ascii", "replace").strip())
                writer.write(answer.encode("ascii", "replace") + b"\n")
                await writer.drain()
        except (ConnectionError, ValueError, asyncio.LimitOverrunError):
            return  # the client went away or sent a line longer than any request
        finally:
            writer.close()

    async def _answer(self, line: str) -> str:
        try:
            request = parse_request(line)
        except ControlError as exc:
            return f"ERROR {exc}"
        server = self._servers.get(request.asset_tag)
        if server is None:
            return f"ERROR no instrument {request.asset_tag!r} on the bench; there are {', '.join(self._servers)}"
        try:
            if request.fault is None:
                await server.clear_faults()
            else:
                await server.inject(request.fault, delay_s=request.delay_s)
        except OSError as exc:  # a refusing instrument's port was taken meanwhile
            return f"ERROR {request.asset_tag} cannot listen again: {exc}"
        return "OK"

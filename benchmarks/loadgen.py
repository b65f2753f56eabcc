"""A closed-loop HTTP/1.1 load generator that costs the machine as little as it can.

The server under test shares this machine's cores with its clients, so a heavy client (httpx in threads spends
more CPU per request than a lean endpoint does) would measure the client, not the server. Here ``clients``
keep-alive connections run in one asyncio loop in a process of its own, each sending its next request once the
previous response has arrived and it has thought for a while (a random pause of ``think_s`` on average, as a
person reads a page before the next click), or at once (``think_s`` 0: as fast as they can). The caller makes
the requests beforehand, as bytes, each with a label of
its kind; the result holds every request's kind, latency and status, and the body of every response that was
not 2xx, so that the caller can check what it measured.
"""

from __future__ import annotations

import asyncio
import gc
import math
import multiprocessing
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

__all__ = ["LabeledRequest", "LoadResult", "http_request", "percentile", "run_load"]

#: One request to send: its kind (a label for the report) and its bytes on the wire.
LabeledRequest = tuple[str, bytes]

_NO_RESPONSE = 0  # the status recorded when the connection failed before a response arrived
#: A connection idle this long is closed before the next request, as a browser does: the server (uvicorn keeps
#: idle connections 5 s) may be closing it at the very moment the request goes out.
_IDLE_CLOSE_S = 4.0


def percentile(latencies_ms: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the latency (ms) within which ``fraction`` of the requests were answered."""
    ordered = sorted(latencies_ms)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class LoadResult:
    """What a load run measured: each request's kind, latency (ms) and status, in the order they were given."""

    elapsed_s: float
    kinds: list[str]
    latencies_ms: list[float]
    statuses: list[int]
    error_bodies: dict[int, bytes] = field(default_factory=dict)  # index → body, for every response not 2xx

    @property
    def throughput(self) -> float:
        """Requests answered per second over the whole run."""
        return len(self.kinds) / self.elapsed_s

    def latencies_of(self, kind: str) -> list[float]:
        """The latencies (ms) of the requests of one kind."""
        return [ms for k, ms in zip(self.kinds, self.latencies_ms, strict=True) if k == kind]

    def responses_of(self, kind: str) -> list[tuple[int, bytes]]:
        """Each response's status and, when it was not 2xx, its body, for the requests of one kind."""
        return [
            (status, self.error_bodies.get(index, b""))
            for index, (k, status) in enumerate(zip(self.kinds, self.statuses, strict=True))
            if k == kind
        ]


def http_request(
    method: str, path: str, host: str, *, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    """One HTTP/1.1 keep-alive request as bytes."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in {"POST", "PUT", "PATCH"}:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        parts.append(await reader.readexactly(size + 2))
    await reader.readuntil(b"\r\n")  # the empty trailer
    return b"".join(p[:-2] for p in parts)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """The status, the body, and whether the server keeps the connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    fields = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip().lower()
    if fields.get(b"transfer-encoding") == b"chunked":
        body = await _read_chunked(reader)
    else:
        length = int(fields.get(b"content-length", b"0"))
        body = await reader.readexactly(length) if length else b""
    return status, body, fields.get(b"connection") != b"close"


async def _drive(host: str, port: int, clients: int, requests: Sequence[LabeledRequest], think_s: float) -> LoadResult:
    queue = iter(enumerate(requests))
    pauses = random.Random(7)
    latencies = [0.0] * len(requests)
    statuses = [_NO_RESPONSE] * len(requests)
    error_bodies: dict[int, bytes] = {}

    async def client() -> None:
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        for index, (_kind, request) in queue:
            began = time.perf_counter()
            try:
                connection = connection or await asyncio.open_connection(host, port)
                connection[1].write(request)
                status, body, keep_alive = await _read_response(connection[0])
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                status, body, keep_alive = _NO_RESPONSE, repr(exc).encode(), False
            latencies[index] = (time.perf_counter() - began) * 1000
            statuses[index] = status
            if not 200 <= status < 300:
                error_bodies[index] = body
            if connection and not keep_alive:
                connection[1].close()
                connection = None
            if think_s > 0:
                pause = pauses.expovariate(1 / think_s)
                await asyncio.sleep(pause)
                if connection and pause >= _IDLE_CLOSE_S:
                    connection[1].close()
                    connection = None
        if connection:
            connection[1].close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    return LoadResult(elapsed, [kind for kind, _ in requests], latencies, statuses, error_bodies)


def _child(
    address: tuple[str, int], clients: int, requests: Sequence[LabeledRequest], think_s: float, out: Connection
) -> None:
    gc.freeze()  # what the parent made (the requests) is never garbage: no collection walks it
    gc.set_threshold(20_000, 20, 20)  # few passes over objects that reference counting frees anyway
    result = asyncio.run(_drive(*address, clients, requests, think_s))
    out.send(result)
    out.close()


def run_load(
    host: str, port: int, clients: int, requests: Sequence[LabeledRequest], *, think_s: float = 0.0
) -> LoadResult:
    """Send ``requests`` in order over ``clients`` concurrent keep-alive connections, from a separate process, each
    client pausing ``think_s`` on average (exponentially distributed) between its requests.

    Raises:
        RuntimeError: the load process died before it reported.
    """
    receiver, sender = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(
        target=_child, args=((host, port), clients, requests, think_s, sender), daemon=True
    )
    process.start()
    sender.close()  # the child holds its own end: if it dies, recv() sees the pipe close instead of waiting forever
    try:
        result: LoadResult = receiver.recv()
    except EOFError as exc:
        raise RuntimeError(f"the load process died (exit code {process.exitcode})") from exc
    except BaseException:  # interrupted: the load stops with its caller
        process.kill()
        raise
    finally:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()
    return result

"""A closed-loop HTTP/1.1 load generator that costs the machine as little as it can.

The server under test shares this machine's cores with its clients, so a heavy client (httpx in threads spends
more CPU per request than a lean endpoint does) would measure the client, not the server. Here ``clients``
keep-alive connections run in one asyncio loop in a process of their own, each sending its next request as soon
as the previous response has arrived; the requests are made beforehand, as bytes, by the caller.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import time
from dataclasses import dataclass

__all__ = ["LoadResult", "http_request", "run_load"]


@dataclass(frozen=True)
class LoadResult:
    """What a load run measured: throughput (requests/s), every latency (ms) and each response's status."""

    throughput: float
    latencies_ms: list[float]
    statuses: list[int]
    bodies: list[bytes]

    def percentile(self, fraction: float) -> float:
        """The latency (ms) below which ``fraction`` of the requests were answered."""
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def failures(self) -> int:
        """How many responses were not 2xx."""
        return sum(not 200 <= s < 300 for s in self.statuses)


def http_request(
    method: str, path: str, host: str, *, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    """One HTTP/1.1 keep-alive request as bytes."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in {"POST", "PUT", "PATCH"}:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _drive(host: str, port: int, clients: int, requests: list[bytes], keep_bodies: bool) -> LoadResult:
    queue = iter(enumerate(requests))
    latencies = [0.0] * len(requests)
    statuses = [0] * len(requests)
    bodies: list[bytes] = [b""] * len(requests) if keep_bodies else []

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for index, request in queue:
                began = time.perf_counter()
                writer.write(request)
                status, body = await _read_response(reader)
                latencies[index] = (time.perf_counter() - began) * 1000
                statuses[index] = status
                if keep_bodies:
                    bodies[index] = body
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    return LoadResult(len(requests) / elapsed, latencies, statuses, bodies)


def _child(address: tuple[str, int], clients: int, requests: list[bytes], keep_bodies: bool, out: object) -> None:
    gc.freeze()  # what the parent made (a seeded lab, its ORM) is never garbage: no full collection walks it
    gc.set_threshold(20_000, 20, 20)  # as the server does: few passes over objects reference counting frees
    result = asyncio.run(_drive(*address, clients, requests, keep_bodies))
    out.send(result)  # type: ignore[attr-defined]
    out.close()  # type: ignore[attr-defined]


def run_load(host: str, port: int, clients: int, requests: list[bytes], *, keep_bodies: bool = False) -> LoadResult:
    """Send ``requests`` over ``clients`` concurrent keep-alive connections from a separate process."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=_child, args=((host, port), clients, requests, keep_bodies, sender))
    process.start()
    result: LoadResult = receiver.recv()
    process.join()
    return result

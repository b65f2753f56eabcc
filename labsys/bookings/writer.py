"""A process of its own that records a server's new bookings in batches, on a core of its own.

A booking costs the server about as much in HTTP work (parsing, signing in, validating, answering) as in
database work, and one process runs Python on one core at a time. The writer process takes the database work
to another core: the event loop gathers the bookings that arrive together, as :class:`~labsys.bookings.intake.
BookingIntake` does, hands each batch to the writer and goes on serving; the writer records the batch exactly as
:func:`~labsys.bookings.batch.record_batch` does, in one transaction, and sends the outcomes back after the
commit. While it records one batch the next waits in the pipe, so the writer never waits for the server.

Should the writer die, the bookings it held are answered ``503`` (one transaction each batch: committed whole or
not at all, and the customer's list of bookings tells which), and the next batch starts a new writer.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import pickle
from collections import deque
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from labsys.bookings.batch import BookingRequest, Outcome, commit_batch, settle
from labsys.bookings.gathering import Gathering
from labsys.bookings.schemas import BookingPublic
from labsys.errors import LabError, Unavailable

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from labsys.scheduling import SchedulingPolicy

__all__ = ["BookingWriter"]

log = logging.getLogger(__name__)

_Pending = tuple[BookingRequest, "asyncio.Future[BookingPublic]"]
#: Batches sent to the writer and not yet answered: the next waits in the pipe while the writer records one.
_IN_FLIGHT = 2


class BookingWriter:
    """Records new bookings in batches in a writer process (started by :meth:`start` or the first booking)."""

    def __init__(self, database_url: str, policy: SchedulingPolicy, *, max_batch: int = 64) -> None:
        """
        Args:
            database_url: the lab's database, as the writer process connects to it.
            policy: the scheduling rules every booking obeys.
            max_batch: the most bookings one transaction records.
        """
        self._database_url = database_url
        self._policy = policy
        self._arriving = Gathering[_Pending](max_batch, self._send, ready=lambda: len(self._sent) < _IN_FLIGHT)
        self._sent: deque[list[_Pending]] = deque()  # in the writer, in the order sent: answered in that order
        self._process: BaseProcess | None = None
        self._pipe: Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        """Start the writer process now, so the first booking does not wait for it."""
        if self._pipe is None:
            self._start(asyncio.get_running_loop())

    async def book(self, request: BookingRequest) -> BookingPublic:
        """Record a booking and wait for its batch to commit.

        Raises:
            LabError: what refused this booking (see :func:`~labsys.bookings.recording.create_booking`), or
                :class:`~labsys.errors.Unavailable` if the writer died before answering.
        """
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[BookingPublic] = loop.create_future()
        self._loop = loop
        self._arriving.add(loop, (request, answer))
        return await answer

    def _send(self, batch: list[_Pending]) -> None:
        """Send a batch to the writer (on the event loop, when fewer than :data:`_IN_FLIGHT` are there)."""
        assert self._loop is not None  # noqa: S101 - set by book(), which the batch came through
        self._sent.append(batch)
        try:
            pipe = self._pipe or self._start(self._loop)
            pipe.send([request for request, _ in batch])
        except OSError:
            self._lost()

    def _start(self, loop: asyncio.AbstractEventLoop) -> Connection:
        ours, theirs = multiprocessing.Pipe()
        process = multiprocessing.get_context("spawn").Process(
            target=_write_batches, args=(self._database_url, self._policy, theirs), name="booking-writer", daemon=True
        )
        process.start()
        theirs.close()
        self._process, self._pipe, self._loop = process, ours, loop
        loop.add_reader(ours.fileno(), self._answer_batch)
        return ours

    def _answer_batch(self) -> None:
        """Answer the oldest batch sent with the outcomes the writer sent back."""
        if self._pipe is None:
            return
        try:
            outcomes: list[Outcome] = self._pipe.recv()
        except (EOFError, OSError):
            self._lost()
            return
        for (_, answer), outcome in zip(self._sent.popleft(), outcomes, strict=True):
            settle(answer, outcome)
        if self._loop is not None:
            self._arriving.resume(self._loop)

    def _lost(self) -> None:
        held = [pending for batch in self._sent for pending in batch]
        self._sent.clear()
        log.error("the booking writer ended while it held %d bookings", len(held))
        self._close()
        lost = Unavailable("the booking could not be confirmed: look for it in your bookings before booking again")
        for _, answer in held:
            settle(answer, lost)
        if self._loop is not None:
            self._arriving.resume(self._loop)

    def _close(self) -> None:
        pipe, self._pipe = self._pipe, None
        process, self._process = self._process, None
        if pipe is not None:
            if self._loop is not None:
                self._loop.remove_reader(pipe.fileno())
            pipe.close()
        if process is not None:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()

    def stop(self) -> None:
        """Answer the batches the writer holds, then stop it (what is still waiting is answered ``503``)."""
        try:
            while self._sent and self._pipe is not None:
                self._answer_batch()
            if self._pipe is not None:
                self._pipe.send(None)
        except OSError:
            pass
        self._close()
        for _, answer in self._arriving.drain():
            settle(answer, Unavailable("the lab is stopping; book again in a moment"))


def _write_batches(database_url: str, policy: SchedulingPolicy, pipe: Connection) -> None:
    """The writer process: record each batch it is sent in one transaction, and send back the outcomes."""
    from labsys.db import create_lab_engine, session_factory  # noqa: PLC0415 - the writer's own engine

    engine = create_lab_engine(database_url)
    sessions = session_factory(engine)
    gc.collect()
    gc.freeze()  # as a server process does (api.app): no full pass walks what starting made
    gc.set_threshold(20_000, 20, 20)
    try:
        while (requests := pipe.recv()) is not None:
            _send(pipe, commit_batch(sessions, requests, policy))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        engine.dispose()


def _send(pipe: Connection, outcomes: list[Outcome]) -> None:
    try:
        pipe.send(outcomes)
    except (pickle.PicklingError, TypeError, AttributeError):  # an error that cannot cross: say what it was
        pipe.send([_portable(outcome) for outcome in outcomes])


def _portable(outcome: Outcome) -> Outcome:
    if isinstance(outcome, Exception) and not isinstance(outcome, LabError):
        return RuntimeError(f"{type(outcome).__name__}: {outcome}")
    return outcome

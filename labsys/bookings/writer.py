"""A process of its own that records a server's new bookings in batches, on a core of its own.

A booking costs the server about as much in HTTP work (parsing, signing in, validating, answering) as in
database work, and one process runs Python on one core at a time. The writer process takes the database work
to another core. The event loop gathers the bookings each of its turns brings (as :class:`~labsys.bookings.
intake.BookingIntake` does, but without waiting for stragglers), hands them to the writer at once and goes on
serving. The writer takes everything waiting in the pipe when it is free (up to ``max_batch`` bookings),
records it exactly as :func:`~labsys.bookings.batch.record_batch` does, in one transaction, and sends the
outcomes back after the commit. So the writer does not wait for the server while bookings wait, and a
transaction holds what came in while the one before it was recorded. A transaction costs about a millisecond
whatever it holds: a writer handed the first booking to arrive on its own, while the rest waited for the next
turn, spent much of its time on transactions of one.

Should the writer die, the bookings it held are answered ``503`` (a transaction commits whole or not at all, and
the customer's list of bookings tells which), and the next batch starts a new writer.
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
from labsys.bookings.schemas import booking_json
from labsys.errors import LabError, Unavailable

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from labsys.scheduling import SchedulingPolicy

__all__ = ["BookingWriter"]

log = logging.getLogger(__name__)

_Pending = tuple[BookingRequest, "asyncio.Future[bytes]"]
#: What the writer answers for a booking: the booking as the API's JSON body, or the error that refused it.
_Answered = bytes | Exception


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
        self._max_batch = max_batch
        # At most two transactions' worth in the pipe: more waits here, so sending never blocks the event loop.
        self._arriving = Gathering[_Pending](
            max_batch, self._send, ready=lambda: self._held < 2 * max_batch, patient=False
        )
        self._sent: deque[list[_Pending]] = deque()  # in the writer, in the order sent: answered in that order
        self._held = 0  # bookings sent and not yet answered
        self._process: BaseProcess | None = None
        self._pipe: Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        """Start the writer process now, so the first booking does not wait for it."""
        if self._pipe is None:
            self._start(asyncio.get_running_loop())

    async def book(self, request: BookingRequest) -> bytes:
        """Record a booking and wait for its transaction to commit; the booking as the API's JSON body.

        Raises:
            LabError: what refused this booking (see :func:`~labsys.bookings.recording.create_booking`), or
                :class:`~labsys.errors.Unavailable` if the writer died before answering.
        """
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[bytes] = loop.create_future()
        self._loop = loop
        self._arriving.add(loop, (request, answer))
        return await answer

    def _send(self, batch: list[_Pending]) -> None:
        """Send a batch to the writer (on the event loop, while less than two transactions' worth waits there)."""
        assert self._loop is not None  # noqa: S101 - set by book(), which the batch came through
        self._sent.append(batch)
        self._held += len(batch)
        try:
            pipe = self._pipe or self._start(self._loop)
            pipe.send([request for request, _ in batch])
        except OSError:
            self._lost()

    def _start(self, loop: asyncio.AbstractEventLoop) -> Connection:
        ours, theirs = multiprocessing.Pipe()
        process = multiprocessing.get_context("spawn").Process(
            target=_write_batches,
            args=(self._database_url, self._policy, theirs, self._max_batch),
            name="booking-writer",
            daemon=True,
        )
        process.start()
        theirs.close()
        self._process, self._pipe, self._loop = process, ours, loop
        loop.add_reader(ours.fileno(), self._answer_batch)
        return ours

    def _answer_batch(self) -> None:
        """Answer the oldest batches sent with the outcomes the writer sent back (one list per batch sent)."""
        if self._pipe is None:
            return
        try:
            answered: list[list[_Answered]] = self._pipe.recv()
        except (EOFError, OSError):
            self._lost()
            return
        for outcomes in answered:
            batch = self._sent.popleft()
            self._held -= len(batch)
            for (_, answer), outcome in zip(batch, outcomes, strict=True):
                settle(answer, outcome)
        if self._loop is not None:
            self._arriving.resume(self._loop)

    def _lost(self) -> None:
        held = [pending for batch in self._sent for pending in batch]
        self._sent.clear()
        self._held = 0
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


def _write_batches(database_url: str, policy: SchedulingPolicy, pipe: Connection, max_batch: int) -> None:
    """The writer process: record what waits in the pipe in one transaction, and send back the outcomes."""
    from labsys.db import create_lab_engine, session_factory  # noqa: PLC0415 - the writer's own engine

    engine = create_lab_engine(database_url)
    sessions = session_factory(engine)
    gc.collect()
    gc.freeze()  # as a server process does (api.app): no full pass walks what starting made
    gc.set_threshold(20_000, 20, 20)
    try:
        stopping = False
        while not stopping:
            batches, stopping = _waiting(pipe, max_batch)
            if batches:
                outcomes = commit_batch(sessions, [request for batch in batches for request in batch], policy)
                _send(pipe, _per_batch(outcomes, batches))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        engine.dispose()


def _waiting(pipe: Connection, max_batch: int) -> tuple[list[list[BookingRequest]], bool]:
    """The next batch sent and those behind it in the pipe while they fit in ``max_batch``; and whether the
    server said to stop (it does so only once every batch it sent is answered)."""
    batches: list[list[BookingRequest]] = []
    size = 0
    while not batches or (size < max_batch and pipe.poll()):
        batch: list[BookingRequest] | None = pipe.recv()
        if batch is None:
            return batches, True
        batches.append(batch)
        size += len(batch)
    return batches, False


def _per_batch(outcomes: list[Outcome], batches: list[list[BookingRequest]]) -> list[list[_Answered]]:
    """Each batch's outcomes, in the order it was sent: a booking as its JSON body (made here, where the booking
    is, rather than pickled across and serialized there), or the error that refused it."""
    answered: list[list[_Answered]] = []
    start = 0
    for batch in batches:
        answered.append([_answer(outcome) for outcome in outcomes[start : start + len(batch)]])
        start += len(batch)
    return answered


def _answer(outcome: Outcome) -> _Answered:
    return outcome if isinstance(outcome, Exception) else booking_json(outcome)


def _send(pipe: Connection, answered: list[list[_Answered]]) -> None:
    try:
        pipe.send(answered)
    except (pickle.PicklingError, TypeError, AttributeError):  # an error that cannot cross: say what it was
        pipe.send([[_portable(outcome) for outcome in outcomes] for outcomes in answered])


def _portable(outcome: _Answered) -> _Answered:
    if isinstance(outcome, Exception) and not isinstance(outcome, LabError):
        return RuntimeError(f"{type(outcome).__name__}: {outcome}")
    return outcome

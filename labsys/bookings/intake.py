"""The booking intake: one writer per process that records customers' new bookings in batches.

Bookings arrive many at a time and every one of them writes (the booking, its samples, its reservations, two
audit events), while a database takes one writer at a time: SQLite has one write lock, and on PostgreSQL every
change queues on the audit chain's head row. Rather than let each request take a worker thread and wait its turn
for the lock (SQLite's busy handler waits in sleeps of milliseconds), the intake takes every booking that arrived
while the previous batch was being written and records them all in one transaction
(:mod:`labsys.bookings.batch`), on the event loop or on a thread of its own (see :class:`BookingIntake`): a
refused one (a rule, a taken slot, a bad method) is answered with its error alone, and one commit makes the rest
durable together. A booking is answered only after its batch has committed; if the commit fails, every booking of
the batch gets that error and none is recorded.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING, Protocol

from labsys.bookings.batch import Answer, BookingRequest, commit_batch, settle
from labsys.bookings.gathering import Gathering
from labsys.bookings.schemas import BookingPublic, booking_json

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker
    from sqlmodel import Session

    from labsys.scheduling import SchedulingPolicy

__all__ = ["BookingIntake", "BookingRequest", "Intake"]


class Intake(Protocol):
    """Where new bookings go to be recorded: this process (:class:`BookingIntake`) or a writer process of its own
    (:class:`~labsys.bookings.writer.BookingWriter`)."""

    async def start(self) -> None:
        """Get ready before the first booking, if anything needs to."""

    async def book(self, request: BookingRequest) -> bytes:
        """Record a booking and wait for its batch to commit; the booking as the API's JSON body
        (:func:`~labsys.bookings.schemas.booking_json`)."""

    def stop(self) -> None:
        """Record or answer what is under way, then stop."""


_Pending = tuple[BookingRequest, Answer[BookingPublic]]
_STOP = None


class BookingIntake:
    """Records new bookings in batches, each batch in one transaction, one batch at a time.

    On an embedded database (SQLite, see :func:`~labsys.db.answers_locally`) a batch runs on the event loop
    itself, as soon as the loop has taken in the requests that arrived together: a batch is a few milliseconds
    of work that waits on no network, and running it on a second thread would only make the two threads take
    turns at the interpreter lock. On a database across the network the intake's own thread records batches
    (started on first use, stopped by :meth:`stop`), so the loop goes on serving while a batch waits.
    """

    def __init__(
        self, sessions: sessionmaker[Session], policy: SchedulingPolicy, *, max_batch: int = 64, on_loop: bool = False
    ) -> None:
        """
        Args:
            sessions: sessions on the lab's database.
            policy: the scheduling rules every booking obeys.
            max_batch: the most bookings one transaction records.
            on_loop: record batches on the caller's event loop (an embedded database) rather than a thread.
        """
        self._sessions = sessions
        self._policy = policy
        self._max_batch = max_batch
        self._on_loop = on_loop
        self._arriving = Gathering[_Pending](max_batch, self._record)  # on the event loop
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    async def start(self) -> None:
        """Nothing to start ahead: the thread, if the intake uses one, starts with the first booking."""

    def submit(self, request: BookingRequest) -> Future[BookingPublic]:
        """Queue a booking for the intake's thread; the future holds the booking as recorded, or what refused it."""
        future: Future[BookingPublic] = Future()
        with self._lock:
            self._queue.put((request, future))
        self._ensure_started()
        return future

    def _ensure_started(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="booking-intake", daemon=True)
                self._thread.start()

    async def book(self, request: BookingRequest) -> bytes:
        """Record a booking and wait for its batch to commit, without holding a thread of the caller's; the booking
        as the API's JSON body.

        Raises:
            LabError: what refused this booking (see :func:`~labsys.bookings.recording.create_booking`).
        """
        if not self._on_loop:
            return booking_json(await asyncio.wrap_future(self.submit(request)))
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[BookingPublic] = loop.create_future()
        self._arriving.add(loop, (request, answer))
        return booking_json(await answer)

    def stop(self) -> None:
        """Record what is queued for the intake's thread, then stop the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self._queue.put(_STOP)
        thread.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    pending = self._queue.get_nowait()
                except queue.Empty:
                    break
                if pending is _STOP:
                    self._record(batch)
                    return
                batch.append(pending)
            self._record(batch)

    def _record(self, batch: list[_Pending]) -> None:
        """Record a batch in one transaction (see :func:`~labsys.bookings.batch.commit_batch`); answer each booking."""
        outcomes = commit_batch(self._sessions, [request for request, _ in batch], self._policy)
        for (_, answer), outcome in zip(batch, outcomes, strict=True):
            settle(answer, outcome)

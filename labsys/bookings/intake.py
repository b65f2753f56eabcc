"""The booking intake: one writer per process that records customers' new bookings in batches.

Bookings arrive many at a time and every one of them writes (the booking, its samples, its reservations, two
audit events), while a database takes one writer at a time: SQLite has one write lock, and on PostgreSQL every
change queues on the audit chain's head row. Rather than let each request take a worker thread and wait its
turn for the lock (SQLite's busy handler waits in sleeps of milliseconds), the intake's one thread takes every
booking that arrived while the previous batch was being written and records them all in one transaction:
each booking in a savepoint of its own, so a refused one (a rule, a taken slot, a bad method) is rolled back
alone and answered with its error, and one commit makes the rest durable together. A booking is answered only
after its batch has committed; if the commit fails, every booking of the batch gets that error and none is
recorded.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from labsys.audit import Actor
from labsys.bookings.recording import create_booking
from labsys.bookings.schemas import BookingCreate, BookingPublic

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker
    from sqlmodel import Session

    from labsys.scheduling import SchedulingPolicy

__all__ = ["BookingIntake", "BookingRequest"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BookingRequest:
    """A customer's booking as it reaches the intake: what they ask for, for which company, by whom, when."""

    booking_in: BookingCreate
    company_id: int
    requested_by_id: int
    actor: Actor
    now: datetime


_Pending = tuple[BookingRequest, "Future[BookingPublic]"]
_STOP = None


class BookingIntake:
    """Records new bookings in batches on a thread of its own (started on first use, stopped by :meth:`stop`)."""

    def __init__(self, sessions: sessionmaker[Session], policy: SchedulingPolicy, *, max_batch: int = 64) -> None:
        """
        Args:
            sessions: sessions on the lab's database.
            policy: the scheduling rules every booking obeys.
            max_batch: the most bookings one transaction records.
        """
        self._sessions = sessions
        self._policy = policy
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, request: BookingRequest) -> Future[BookingPublic]:
        """Queue a booking; the future holds the booking as recorded, or the error that refused it."""
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

    async def book(self, request: BookingRequest) -> BookingPublic:
        """Record a booking and wait for its batch to commit, without holding a thread of the caller's.

        Raises:
            LabError: what :func:`~labsys.bookings.recording.create_booking` raises for this booking.
        """
        return await asyncio.wrap_future(self.submit(request))

    def stop(self) -> None:
        """Record what is queued, then stop the thread."""
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
        """Record a batch in one transaction, each booking in a savepoint; answer every future."""
        outcomes: list[tuple[Future[BookingPublic], BookingPublic | None, BaseException | None]] = []
        try:
            with self._sessions() as session:
                for request, future in batch:
                    try:
                        with session.begin_nested():
                            booking = create_booking(
                                session=session,
                                booking_in=request.booking_in,
                                company_id=request.company_id,
                                requested_by_id=request.requested_by_id,
                                actor=request.actor,
                                policy=self._policy,
                                now=request.now,
                            )
                    except Exception as exc:
                        outcomes.append((future, None, exc))
                    else:
                        outcomes.append((future, booking, None))
                session.commit()
        except Exception as exc:
            log.exception("a batch of %d bookings could not be committed; none was recorded", len(batch))
            for _, future in batch:
                future.set_exception(exc)
            return
        for future, recorded, error in outcomes:
            if error is not None:
                future.set_exception(error)
            else:
                assert recorded is not None  # noqa: S101 - a booking without an error was recorded
                future.set_result(recorded)

"""Recording a batch of new bookings in one transaction: judged one by one, written together.

Each booking is judged in arrival order against what the database holds plus what the batch's earlier bookings
took (:class:`~labsys.scheduling.HeldTime`), and the bookings every rule allows are written with one statement
per table. Judging writes nothing, so a refused booking needs no savepoint to undo; the writer holds the
database's write lock all along (SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's lock of the audit chain's head), so
what was judged is still true when it is written, and the database's no-overlap guarantee stays the last word.

Some bookings are better taken one at a time, after what was judged before them is written: ``"earliest"``
(its search reads the schedule week by week) and a refusal (its next free slot is read from the schedule). If
the database refuses a written group, the group is written again one booking at a time, each in a savepoint
of its own, so only the booking at fault fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlmodel import Session

from labsys.audit import Actor
from labsys.bookings.recording import NewBooking, create_booking, method_and_company, write_bookings
from labsys.bookings.reservations import queue_behind_other_writers
from labsys.bookings.schemas import BookingCreate, BookingPublic
from labsys.scheduling import HeldTime, Refusal, SchedulingPolicy, judge_start, refusal_error

__all__ = ["Answer", "BookingRequest", "Outcome", "commit_batch", "record_batch", "settle"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BookingRequest:
    """A customer's booking as it reaches the intake: what they ask for, for which company, by whom, when."""

    booking_in: BookingCreate
    company_id: int
    requested_by_id: int
    actor: Actor
    now: datetime


#: A booking as recorded, or the error that refused it.
Outcome = BookingPublic | Exception


_Result_contra = TypeVar("_Result_contra", contravariant=True)
T = TypeVar("T")


class Answer(Protocol[_Result_contra]):
    """Where a caller waits for a booking's outcome: a thread's future, or an event loop's."""

    def done(self) -> bool: ...
    def set_result(self, result: _Result_contra, /) -> None: ...
    def set_exception(self, exception: BaseException, /) -> None: ...


def settle(answer: Answer[T], outcome: T | Exception) -> None:
    """Hand a booking's outcome to its caller; if the caller has gone, the booking stands all the same (it is in
    the customer's list of bookings)."""
    if answer.done():
        return
    if isinstance(outcome, Exception):
        answer.set_exception(outcome)
    else:
        answer.set_result(outcome)


def commit_batch(
    sessions: Callable[[], Session], requests: Sequence[BookingRequest], policy: SchedulingPolicy
) -> list[Outcome]:
    """Record ``requests`` in a transaction of their own (:func:`record_batch`) and commit it; each one's outcome.

    If the commit fails, none is recorded, and every booking's outcome is that error.
    """
    try:
        with sessions() as session:
            outcomes = record_batch(session, requests, policy)
            session.commit()
    except Exception as exc:
        log.exception("a batch of %d bookings could not be committed; none was recorded", len(requests))
        return [exc] * len(requests)
    return outcomes


def record_batch(session: Session, requests: Sequence[BookingRequest], policy: SchedulingPolicy) -> list[Outcome]:
    """Record ``requests`` in the session's transaction, in order; each one's outcome. The caller commits."""
    return _Batch(session, policy).record(requests)


class _Batch:
    def __init__(self, session: Session, policy: SchedulingPolicy) -> None:
        self._session = session
        self._policy = policy
        self._held = HeldTime()
        self._judged: list[tuple[int, BookingRequest, NewBooking]] = []
        self._outcomes: dict[int, Outcome] = {}

    def record(self, requests: Sequence[BookingRequest]) -> list[Outcome]:
        queue_behind_other_writers(self._session)  # first: what is judged below stays true until we commit
        for index, request in enumerate(requests):
            if request.booking_in.start == "earliest":
                self._write_judged()
                self._outcomes[index] = self._one(request)
                continue
            try:
                self._judge(index, request)
            except Exception as error:  # judging writes nothing: the booking alone is refused
                self._outcomes[index] = error
        self._write_judged()
        return [self._outcomes[index] for index in range(len(requests))]

    def _judge(self, index: int, request: BookingRequest) -> None:
        booking_in, start = request.booking_in, request.booking_in.start
        assert start != "earliest"  # noqa: S101 - taken one at a time by the caller
        method, company = method_and_company(self._session, booking_in.method, request.company_id)
        verdict = judge_start(
            session=self._session, method=method, policy=self._policy, now=request.now, start=start,
            company_id=request.company_id, held=self._held,
        )  # fmt: skip
        if isinstance(verdict, Refusal):
            self._write_judged()  # the next free slot is then read from everything booked before this one
            raise refusal_error(
                verdict, session=self._session, method=method, policy=self._policy, now=request.now, start=start,
                company_id=request.company_id,
            )  # fmt: skip
        booking = NewBooking(
            booking_in, request.company_id, request.requested_by_id, request.actor, request.now, method, company,
            verdict,
        )  # fmt: skip
        self._judged.append((index, request, booking))
        self._held.hold(
            company_id=request.company_id,
            week=self._policy.week_of(verdict.start),
            intervals=[(i.id, verdict.start, verdict.blocked_until(i)) for i in verdict.instruments],
        )

    def _write_judged(self) -> None:
        judged, self._judged = self._judged, []
        self._held.clear()
        if not judged:
            return
        try:
            with self._session.begin_nested():
                written = write_bookings(self._session, [booking for _, _, booking in judged], self._policy)
        except Exception as error:  # the group's own outcome; the batch goes on
            if len(judged) == 1:
                self._outcomes[judged[0][0]] = error
                return
            log.warning("the database refused a group of %d bookings; writing them one by one", len(judged))
            for index, request, _ in judged:
                self._outcomes[index] = self._one(request)
            return
        for (index, _, _), booking in zip(judged, written, strict=True):
            self._outcomes[index] = booking

    def _one(self, request: BookingRequest) -> Outcome:
        """Record one booking in a savepoint of its own: judged, searched and written as a lone booking is."""
        try:
            with self._session.begin_nested():
                return create_booking(
                    session=self._session,
                    booking_in=request.booking_in,
                    company_id=request.company_id,
                    requested_by_id=request.requested_by_id,
                    actor=request.actor,
                    policy=self._policy,
                    now=request.now,
                )
        except Exception as error:  # the booking's own outcome; the batch goes on
            return error

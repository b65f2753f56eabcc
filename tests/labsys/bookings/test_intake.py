"""The booking intake records bookings in batches: each answered with its own outcome, all or none durable."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from labsys.audit import AuditEvent, verify_chain
from labsys.bookings import batch as batch_module
from labsys.bookings.batch import Outcome
from labsys.bookings.intake import BookingIntake, BookingRequest
from labsys.bookings.models import Booking, Reservation
from labsys.bookings.schemas import BookingPublic
from labsys.db import session_factory
from labsys.errors import NotFound, RuleViolation
from labsys.scheduling import SchedulingPolicy
from tests.factories import Lab
from tests.labsys.scheduling.support import booking_request, kst

pytestmark = pytest.mark.integration


def _outcome(future: Future[BookingPublic]) -> BookingPublic | BaseException:
    error = future.exception(timeout=30)
    return error if error is not None else future.result()


def _batch(intake: BookingIntake, requests: list[BookingRequest]) -> list[BookingPublic | BaseException]:
    """Queue every request before the intake's thread can take the first, so they form one batch."""
    with intake._lock:  # the thread starts, and takes work, only once the lock is free
        futures = [intake._queue.put((r, f)) or f for r in requests for f in [Future[BookingPublic]()]]
    intake._ensure_started()
    return [_outcome(f) for f in futures]


def test_bookings_of_one_batch_are_each_answered_and_a_refused_one_leaves_the_others_recorded(
    engine: Engine, session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    intake = BookingIntake(session_factory(engine), policy)
    try:
        outcomes = _batch(
            intake,
            [
                booking_request(lab, kst(2026, 12, 2, 10)),
                booking_request(lab, kst(2026, 12, 2, 10)),  # the lab has one SMU: taken by the first
                booking_request(lab, kst(2026, 12, 2, 10), code="NO-SUCH"),
                booking_request(lab, kst(2026, 12, 2, 14)),
            ],
        )
    finally:
        intake.stop()
    first, taken, unknown, later = outcomes
    assert isinstance(first, BookingPublic)
    assert isinstance(later, BookingPublic)
    assert isinstance(taken, RuleViolation)
    assert taken.rule == "slot_taken"
    assert isinstance(unknown, NotFound)
    stored = session.exec(select(Booking).order_by(col(Booking.id))).all()
    assert [b.id for b in stored] == [first.id, later.id]
    assert session.exec(select(func.count()).select_from(Reservation)).one() == 2
    actions = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions[-4:] == ["booking.requested", "booking.quoted", "booking.requested", "booking.quoted"]
    assert verify_chain(session)[1] is None


def test_a_batch_whose_commit_fails_records_none_and_answers_every_booking_with_the_error(
    engine: Engine, session: Session, lab: Lab, policy: SchedulingPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    bookings_before = session.exec(select(func.count()).select_from(Booking)).one()
    requests = [booking_request(lab, kst(2026, 12, 2, 10)), booking_request(lab, kst(2026, 12, 3, 10))]
    session.commit()  # a transaction left open would hold SQLite's write lock

    def refuse_commit(self: Session) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Session, "commit", refuse_commit)
    intake = BookingIntake(session_factory(engine), policy)
    try:
        outcomes = _batch(intake, requests)
    finally:
        intake.stop()
    monkeypatch.undo()
    assert [type(o) for o in outcomes] == [OSError, OSError]
    assert session.exec(select(func.count()).select_from(Booking)).one() == bookings_before


def test_stopping_records_what_was_queued_first(
    engine: Engine, session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    intake = BookingIntake(session_factory(engine), policy)
    futures = [intake.submit(booking_request(lab, kst(2026, 12, day, 10))) for day in (2, 3, 4)]
    intake.stop()
    assert all(f.done() and f.exception() is None for f in futures)
    assert session.exec(select(func.count()).select_from(Booking)).one() == 3


def test_a_stopped_intake_starts_again_on_the_next_booking(
    engine: Engine, session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    intake = BookingIntake(session_factory(engine), policy)
    intake.submit(booking_request(lab, kst(2026, 12, 2, 10))).result(timeout=30)
    intake.stop()
    booked = intake.submit(booking_request(lab, kst(2026, 12, 3, 10))).result(timeout=30)
    intake.stop()
    assert booked.starts_at == kst(2026, 12, 3, 10)


def test_on_the_event_loop_bookings_that_arrive_together_are_recorded_in_one_transaction(
    engine: Engine, session: Session, lab: Lab, policy: SchedulingPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    transactions: list[int] = []
    record = batch_module.record_batch

    def counted(
        batch_session: Session, requests: list[BookingRequest], batch_policy: SchedulingPolicy
    ) -> list[Outcome]:
        transactions.append(len(requests))
        return record(batch_session, requests, batch_policy)

    monkeypatch.setattr(batch_module, "record_batch", counted)
    intake = BookingIntake(session_factory(engine), policy, on_loop=True)
    requests = [booking_request(lab, kst(2026, 12, day, 10)) for day in (2, 3, 4)]

    async def book_all() -> list[bytes]:
        return await asyncio.gather(*(intake.book(r) for r in requests))

    booked = [BookingPublic.model_validate_json(body) for body in asyncio.run(book_all())]
    assert transactions == [3]
    assert [b.starts_at for b in booked] == [kst(2026, 12, day, 10) for day in (2, 3, 4)]
    assert session.exec(select(func.count()).select_from(Booking)).one() == 3


def test_a_booking_whose_caller_has_gone_is_still_recorded_and_the_others_are_answered(
    engine: Engine, session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    intake = BookingIntake(session_factory(engine), policy, on_loop=True)

    async def one_caller_leaves() -> bytes:
        gone = asyncio.create_task(intake.book(booking_request(lab, kst(2026, 12, 2, 10))))
        staying = asyncio.create_task(intake.book(booking_request(lab, kst(2026, 12, 3, 10))))
        await asyncio.sleep(0)  # both are waiting for their batch
        gone.cancel()
        return await staying

    booked = BookingPublic.model_validate_json(asyncio.run(one_caller_leaves()))
    assert booked.starts_at == kst(2026, 12, 3, 10)
    starts = session.exec(select(Booking.starts_at).order_by(col(Booking.starts_at))).all()
    assert starts == [kst(2026, 12, 2, 10), kst(2026, 12, 3, 10)]

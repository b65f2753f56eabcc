"""A writer process records the bookings the event loop hands it, and a writer that dies costs no booking twice."""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from labsys.audit import verify_chain
from labsys.bookings.models import Booking
from labsys.bookings.schemas import BookingPublic
from labsys.bookings.writer import BookingWriter, _per_batch, _waiting
from labsys.db import create_lab_engine, session_factory
from labsys.errors import NotFound, RuleViolation, Unavailable
from labsys.migrations import upgrade
from labsys.scheduling import SchedulingPolicy
from tests.factories import Lab, make_lab
from tests.labsys.scheduling.support import booking_request, kst

pytestmark = pytest.mark.integration


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A SQLite file the writer process opens by name."""
    return tmp_path / "lab.sqlite3"


@pytest.fixture
def file_engine(database: Path) -> Engine:
    engine = create_lab_engine(f"sqlite:///{database}")
    upgrade(engine)
    return engine


@pytest.fixture
def file_lab(file_engine: Engine) -> Lab:
    with session_factory(file_engine)() as session:
        return make_lab(session)


def _starts(engine: Engine) -> list[datetime]:
    with Session(engine) as session:
        return list(session.exec(select(Booking.starts_at).order_by(col(Booking.starts_at))).all())


def test_bookings_handed_to_the_writer_are_answered_with_their_own_outcomes(
    database: Path, file_engine: Engine, file_lab: Lab, policy: SchedulingPolicy
) -> None:
    writer = BookingWriter(f"sqlite:///{database}", policy)
    requests = [
        booking_request(file_lab, kst(2026, 12, 2, 10)),
        booking_request(file_lab, kst(2026, 12, 2, 10)),  # the lab has one SMU: taken by the first
        booking_request(file_lab, kst(2026, 12, 2, 10), code="NO-SUCH"),
        booking_request(file_lab, kst(2026, 12, 3, 10)),
    ]

    async def book_all() -> list[bytes | BaseException]:
        await writer.start()
        try:
            return await asyncio.gather(*(writer.book(r) for r in requests), return_exceptions=True)
        finally:
            writer.stop()

    first, taken, unknown, later = asyncio.run(book_all())
    assert isinstance(first, bytes)  # the booking as the API answers it, made in the writer
    assert isinstance(later, bytes)
    assert BookingPublic.model_validate_json(first).starts_at == kst(2026, 12, 2, 10)
    assert BookingPublic.model_validate_json(later).starts_at == kst(2026, 12, 3, 10)
    assert isinstance(taken, RuleViolation)  # the rule and the next free slot cross from the writer intact
    assert taken.rule == "slot_taken"
    assert taken.extra["next_slot"] == kst(2026, 12, 2, 11, 30).isoformat()
    assert isinstance(unknown, NotFound)
    assert "NO-SUCH" in unknown.detail
    assert _starts(file_engine) == [kst(2026, 12, 2, 10), kst(2026, 12, 3, 10)]
    with Session(file_engine) as session:
        assert verify_chain(session)[1] is None


def test_bookings_held_by_a_writer_that_dies_are_answered_503_and_the_next_start_a_new_writer(
    database: Path, file_engine: Engine, file_lab: Lab, policy: SchedulingPolicy
) -> None:
    writer = BookingWriter(f"sqlite:///{database}", policy)
    lock = sqlite3.connect(database, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # the writer's batch waits for the lock, uncommitted

    async def writer_dies_holding_a_booking() -> tuple[BaseException | None, bytes]:
        await writer.start()
        held = asyncio.create_task(writer.book(booking_request(file_lab, kst(2026, 12, 2, 10))))
        await asyncio.sleep(0.5)
        writer._process.kill()  # type: ignore[union-attr]
        try:
            await held
        except Unavailable as lost:
            error: BaseException | None = lost
        else:
            error = None
        lock.rollback()
        try:
            after = await writer.book(booking_request(file_lab, kst(2026, 12, 3, 10)))
        finally:
            writer.stop()
        return error, after

    try:
        error, after = asyncio.run(writer_dies_holding_a_booking())
    finally:
        lock.close()
    assert isinstance(error, Unavailable)
    assert "look for it in your bookings" in error.detail
    assert BookingPublic.model_validate_json(after).starts_at == kst(2026, 12, 3, 10)
    assert _starts(file_engine) == [kst(2026, 12, 3, 10)]  # the one the dead writer held was never committed


def test_the_writer_takes_the_batches_waiting_in_the_pipe_together_up_to_its_largest_transaction(
    file_lab: Lab,
) -> None:
    server, writer = multiprocessing.Pipe()
    batches = [[booking_request(file_lab, kst(2026, 12, d, 10))] * size for d, size in ((2, 2), (3, 1), (4, 3))]
    try:
        for batch in batches:
            server.send(batch)
        first, stop = _waiting(writer, max_batch=3)
        assert ([len(batch) for batch in first], stop) == ([2, 1], False)  # three fill a transaction
        second, stop = _waiting(writer, max_batch=3)
        assert ([len(batch) for batch in second], stop) == ([3], False)
        server.send(batches[1])
        server.send(None)  # told to stop: what came before it is still recorded
        last, stop = _waiting(writer, max_batch=64)
        assert ([len(batch) for batch in last], stop) == ([1], True)
    finally:
        server.close()
        writer.close()


def test_the_outcomes_of_a_merged_transaction_go_back_to_the_batches_they_came_in(file_lab: Lab) -> None:
    request = booking_request(file_lab, kst(2026, 12, 2, 10))
    outcomes: list[BookingPublic | Exception] = [NotFound("first"), NotFound("second"), NotFound("third")]
    assert _per_batch(outcomes, [[request], [request, request]]) == [outcomes[:1], outcomes[1:]]

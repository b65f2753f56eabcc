"""Timestamps: stored in UTC, in SQLite's default text form, and read back timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import StatementError

from labsys.db import UTCDateTime, create_lab_engine

pytestmark = pytest.mark.unit

_SEOUL = timezone(timedelta(hours=9))
_TIMES = [
    datetime(2027, 3, 2, 10, 0, tzinfo=_SEOUL),
    datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(999, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
]


def test_sqlite_stores_a_time_as_utc_text_in_the_dialects_own_form_and_reads_it_back_aware() -> None:
    engine = create_lab_engine("sqlite://")
    table = Table("stamp", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime()))
    table.metadata.create_all(engine)
    stock = sqlite.DATETIME().bind_processor(engine.dialect)  # type: ignore[no-untyped-call]
    assert stock is not None
    with engine.begin() as connection:
        connection.execute(insert(table), [{"id": n, "at": at} for n, at in enumerate(_TIMES)])
        stored = connection.execute(text("SELECT at FROM stamp ORDER BY id")).scalars().all()
        read = connection.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
    assert stored == [stock(at.astimezone(UTC).replace(tzinfo=None)) for at in _TIMES]
    assert stored[0] == "2027-03-02 01:00:00.000000"
    assert read == _TIMES
    assert all(at.tzinfo is UTC for at in read)


def test_a_naive_time_is_refused() -> None:
    engine = create_lab_engine("sqlite://")
    table = Table("stamp", MetaData(), Column("at", UTCDateTime()))
    table.metadata.create_all(engine)
    with engine.begin() as connection, pytest.raises(StatementError, match="naive datetime"):
        connection.execute(insert(table), {"at": datetime(2027, 3, 2, 10, 0)})  # noqa: DTZ001 - naive on purpose

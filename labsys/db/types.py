"""Column types shared by the models."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import SQLModel

__all__ = ["JSONText", "UTCDateTime", "enum_type", "json_serializer", "table_of", "utcnow"]


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    PostgreSQL keeps it as ``timestamptz``; SQLite, which has no zones, as naive UTC text. A naive value is
    refused on the way in, so local wall-clock times never reach the database by accident.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(_SQLITE_TEXT if dialect.name == "sqlite" else self.impl)

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetime: the lab stores timezone-aware UTC times only"
            raise ValueError(msg)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_type(enum: type[StrEnum]) -> Any:
    """A column type for a lab enum: stored as its plain string value, read back as the enum member.

    Not a native database enum, so adding a value later needs no type migration on PostgreSQL.
    """
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def table_of(model: type[SQLModel]) -> Table:
    """The table of a table model, for Core statements built once (the hot paths skip the ORM)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


class _SQLiteText(sqlite.DATETIME):
    """SQLite's ``DATETIME`` in its default text form (``2027-03-02 01:00:00.000000``), written by
    :meth:`datetime.isoformat`: a booking writes about ten of them, and it is three times faster than the
    dialect's own formatting, to the same text.
    """

    def bind_processor(self, dialect: Dialect) -> Any:
        def process(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat(" ", "microseconds")

        return process


_SQLITE_TEXT = _SQLiteText()  # type: ignore[no-untyped-call]  # SQLAlchemy's dialect types are not annotated


class JSONText(str):
    """A value serialized as JSON already: a JSON column of a lab engine stores the text as it is.

    For a value whose JSON text is needed anyway (the audit chain hashes it), so it is not serialized twice.
    """


def json_serializer(value: Any) -> str:
    """How every lab engine writes a JSON column: :func:`json.dumps`, except that :class:`JSONText` passes through."""
    return value if isinstance(value, JSONText) else json.dumps(value)

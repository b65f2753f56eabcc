"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Enum, Integer
from sqlalchemy.types import TypeDecorator

__all__ = ["MONEY_KRW", "UTCDateTime", "enum_type", "utcnow"]

#: A column of money in whole KRW: ``BIGINT`` (PostgreSQL's ``INTEGER`` stops at ₩2,147,483,647). On SQLite it stays
#: ``INTEGER``, which already holds 64 bits: declaring it ``BIGINT`` there would change nothing stored and make every
#: existing database disagree with the model until a table copy.
MONEY_KRW = BigInteger().with_variant(Integer(), "sqlite")


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

"""Who a bearer token speaks for: the signed-in user's account, read on every authenticated request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, PoolProxiedConnection, bindparam, select, true

from labsys.companies.models import Role, User
from labsys.db.types import table_of

__all__ = ["Account", "AccountReader", "active_account"]


@dataclass(frozen=True)
class Account:
    """An active user as a request sees them: who, in which role, of which company, qualified for what."""

    id: int
    email: str
    name: str
    role: Role
    company_id: int | None
    qualifications: tuple[str, ...]


_USERS = table_of(User)
# Built once: every authenticated request runs it.
_ACTIVE_ACCOUNT = select(
    _USERS.c.id, _USERS.c.email, _USERS.c.name, _USERS.c.role, _USERS.c.company_id, _USERS.c.qualifications
).where(_USERS.c.id == bindparam("user_id"), _USERS.c.active == true())


def active_account(engine: Engine, user_id: int) -> Account | None:
    """The account of an active user, or None if there is no such user or they were deactivated.

    Read afresh every time, so a deactivated user loses access at once. Runs outside any request's transaction
    (give it an engine whose connections take no write lock: see :func:`labsys.db.reader_engine`).
    """
    with engine.connect() as connection:
        row = connection.execute(_ACTIVE_ACCOUNT, {"user_id": user_id}).first()
    return _account(row)


class AccountReader:
    """Reads accounts as :func:`active_account` does, on one connection kept open between reads.

    For one thread at a time, on an embedded database (SQLite), where going through a pooled connection and the
    SQL layer's execution machinery costs more than the read itself: the statement is compiled once, and runs on
    the driver's own connection with the column types' own conversions. The connection holds no transaction
    between reads, so each read sees the latest commit.
    """

    def __init__(self, engine: Engine) -> None:
        """
        Args:
            engine: an engine whose connections take no write lock (see :func:`labsys.db.reader_engine`).
        """
        self._engine = engine
        compiled = _ACTIVE_ACCOUNT.compile(dialect=engine.dialect)
        self._sql = str(compiled)
        self._names = compiled.positiontup  # None for a driver that takes named parameters
        self._convert = [
            column.type.result_processor(engine.dialect, None) for column in _ACTIVE_ACCOUNT.selected_columns
        ]
        self._connection: PoolProxiedConnection | None = None

    def active(self, user_id: int) -> Account | None:
        """The account of an active user, or None if there is no such user or they were deactivated."""
        connection = self._connection or self._engine.raw_connection()
        self._connection = None  # until this read has ended well: a broken connection is not kept
        params = {"user_id": user_id}
        try:
            cursor = connection.cursor()
            cursor.execute(self._sql, params if self._names is None else [params[name] for name in self._names])
            row = cursor.fetchone()
            cursor.close()
            connection.rollback()  # ends the read where the driver began a transaction (not in autocommit)
        except Exception:
            connection.close()
            raise
        self._connection = connection
        if row is None:
            return None
        return _account(
            [value if convert is None else convert(value) for convert, value in zip(self._convert, row, strict=True)]
        )

    def close(self) -> None:
        """Give the connection back."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def _account(row: Sequence[Any] | None) -> Account | None:
    if row is None:
        return None
    account_id, email, name, role, company_id, qualifications = row
    return Account(account_id, email, name, Role(role), company_id, tuple(qualifications))

"""Who a bearer token speaks for: the signed-in user's account, read on every authenticated request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, true

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

    For one thread at a time, on an embedded database (SQLite), where taking a pooled connection for every read
    costs more than the read itself. No transaction is held between reads, so each read sees the latest commit.
    """

    def __init__(self, engine: Engine) -> None:
        """
        Args:
            engine: an engine whose connections take no write lock (see :func:`labsys.db.reader_engine`).
        """
        self._engine = engine
        self._connection: Connection | None = None

    def active(self, user_id: int) -> Account | None:
        """The account of an active user, or None if there is no such user or they were deactivated."""
        connection = self._connection or self._engine.connect()
        self._connection = None  # until this read has ended well: a broken connection is not kept
        try:
            row = connection.execute(_ACTIVE_ACCOUNT, {"user_id": user_id}).first()
            connection.rollback()
        except Exception:
            connection.close()
            raise
        self._connection = connection
        return _account(row)

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

"""Facts read once per transaction: the lab's roster (methods, instruments, engineers) while bookings are written.

A batch of bookings reads the same method, instruments and engineers for every booking. Within one
transaction that writes bookings those facts cannot change under it: SQLite lets one writer in at a time, and
on PostgreSQL every change of the lab queues on the audit chain's head row, which a booking locks before it
reads anything. So a fact read once may be reused until the transaction ends — or until the session flushes a
change of its own, which may be to one of those facts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlmodel import Session

__all__ = ["once_per_transaction"]

T = TypeVar("T")

_KEY = "labsys.memo"


def once_per_transaction(session: Session, key: Hashable, read: Callable[[], T]) -> T:
    """``read()`` the first time ``key`` is asked for in the session's current transaction; the same value after."""
    memo: tuple[object, dict[Hashable, Any]] | None = session.info.get(_KEY)
    if memo is None or memo[0] is not session.get_transaction():
        session.connection()  # begins the transaction, if it has not begun: the memo belongs to it
        memo = (session.get_transaction(), {})
        session.info[_KEY] = memo
    values = memo[1]
    if key not in values:
        values[key] = read()
    result: T = values[key]
    return result


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_KEY, None)


# A new transaction starts with nothing remembered (the memo is kept with the transaction it belongs to). Within
# one, any change this session writes through the ORM may be to a remembered fact, and a rolled-back savepoint
# may undo one: forget them all.
event.listen(Session, "after_flush", _forget)
event.listen(Session, "after_soft_rollback", _forget)

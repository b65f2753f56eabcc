"""Setting engineers' weekly shifts and leave (admin), one transaction per call, each change in the audit trail.

The rules read them through :mod:`labsys.scheduling.roster`; changing them moves no reservation already made.
"""

from __future__ import annotations

from sqlmodel import Session, col, delete, select

from labsys.audit import Actor, record
from labsys.companies.models import Role, User
from labsys.db import Database
from labsys.errors import InvalidInput, NotFound
from labsys.scheduling.models import EngineerLeave, EngineerShift
from labsys.scheduling.schemas import LeaveCreate, LeavePublic, LeavesPublic, ShiftIn, ShiftsPublic, ShiftsUpdate

__all__ = ["EngineerTimeService"]


def _engineer(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    if user.role != Role.ENGINEER:
        raise InvalidInput("user_id", f"only engineers have shifts and leave; user {user_id} is a {user.role}")
    return user


def _shifts(session: Session, engineer_id: int) -> ShiftsPublic:
    rows = session.exec(
        select(EngineerShift)
        .where(EngineerShift.engineer_id == engineer_id)
        .order_by(col(EngineerShift.weekday), col(EngineerShift.starts_at))
    ).all()
    data = [ShiftIn(weekday=s.weekday, starts_at=s.starts_at, ends_at=s.ends_at) for s in rows]
    return ShiftsPublic(engineer_id=engineer_id, data=data, count=len(data))


def _leave_public(leave: EngineerLeave) -> LeavePublic:
    return LeavePublic.model_validate(leave, from_attributes=True)


class EngineerTimeService:
    """Engineers' weekly shifts and leave."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def shifts(self, engineer_id: int) -> ShiftsPublic:
        """The engineer's weekly shifts (none: the lab's opening hours).

        Raises:
            NotFound: no such user.
            InvalidInput: the user is not an engineer.
        """
        with self._db.reading() as session:
            _engineer(session, engineer_id)
            return _shifts(session, engineer_id)

    def set_shifts(self, engineer_id: int, update: ShiftsUpdate, *, by: Actor) -> ShiftsPublic:
        """Replace the engineer's weekly shifts (audited as ``user.shifts_changed``).

        Raises:
            NotFound: no such user.
            InvalidInput: the user is not an engineer.
        """
        with self._db.writing() as session:
            _engineer(session, engineer_id)
            before = _shifts(session, engineer_id)
            session.exec(delete(EngineerShift).where(col(EngineerShift.engineer_id) == engineer_id))
            session.add_all(EngineerShift(engineer_id=engineer_id, **s.model_dump()) for s in update.shifts)
            session.flush()
            after = _shifts(session, engineer_id)
            record(
                session, actor=by, action="user.shifts_changed", entity_type="user", entity_id=engineer_id,
                before=before.model_dump(mode="json"), after=after.model_dump(mode="json"),
            )  # fmt: skip
            return after

    def leave(self, engineer_id: int) -> LeavesPublic:
        """The engineer's leave, by first day.

        Raises:
            NotFound: no such user.
            InvalidInput: the user is not an engineer.
        """
        with self._db.reading() as session:
            _engineer(session, engineer_id)
            rows = session.exec(
                select(EngineerLeave)
                .where(EngineerLeave.engineer_id == engineer_id)
                .order_by(col(EngineerLeave.first_day), col(EngineerLeave.id))
            ).all()
            data = [_leave_public(leave) for leave in rows]
            return LeavesPublic(data=data, count=len(data))

    def add_leave(self, engineer_id: int, leave_in: LeaveCreate, *, by: Actor) -> LeavePublic:
        """Record days off (audited as ``user.leave_added``).

        Raises:
            NotFound: no such user.
            InvalidInput: the user is not an engineer.
        """
        with self._db.writing() as session:
            _engineer(session, engineer_id)
            leave = EngineerLeave(engineer_id=engineer_id, **leave_in.model_dump())
            session.add(leave)
            session.flush()
            added = _leave_public(leave)
            record(
                session, actor=by, action="user.leave_added", entity_type="user", entity_id=engineer_id,
                after=added.model_dump(mode="json"),
            )  # fmt: skip
            return added

    def remove_leave(self, engineer_id: int, leave_id: int, *, by: Actor) -> None:
        """Cancel a stretch of leave (audited as ``user.leave_removed``).

        Raises:
            NotFound: no such user, or the engineer has no leave with that id.
            InvalidInput: the user is not an engineer.
        """
        with self._db.writing() as session:
            _engineer(session, engineer_id)
            leave = session.get(EngineerLeave, leave_id)
            if leave is None or leave.engineer_id != engineer_id:
                raise NotFound(f"engineer {engineer_id} has no leave {leave_id}")
            removed = _leave_public(leave)
            session.delete(leave)
            session.flush()
            record(
                session, actor=by, action="user.leave_removed", entity_type="user", entity_id=engineer_id,
                before=removed.model_dump(mode="json"),
            )  # fmt: skip

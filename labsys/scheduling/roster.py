"""Engineers' time as the scheduling rules see it: who is qualified, on shift, not on leave and not busy.

:func:`read_roster` reads it for one stretch of time in three queries (qualified engineers, their shifts and
leave, their work already booked); :meth:`Roster.pick` then judges any span in memory. An engineer with no
shift works the lab's opening hours on every open day (the opening-hours and closed-day rules check those).
Each engineer does one booking's work at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from labsys.companies.models import Role, User
from labsys.scheduling.models import EngineerLeave, EngineerShift, Reservation
from labsys.scheduling.policy import MAX_RESERVATION_SPAN, SchedulingPolicy

__all__ = ["EngineerTime", "Roster", "read_roster"]


@dataclass(frozen=True)
class EngineerTime:
    """One qualified engineer's weekly shifts (by weekday, 0 = Monday; none: opening hours) and leave."""

    id: int
    shifts: dict[int, list[tuple[time, time]]] = field(default_factory=dict)
    leave: list[tuple[date, date]] = field(default_factory=list)

    def on_leave(self, policy: SchedulingPolicy, start: datetime, end: datetime) -> bool:
        """Whether any lab day of ``[start, end)`` falls within the engineer's leave."""
        first, last = policy.lab_date(start), policy.lab_date(end - timedelta(microseconds=1))
        return any(leave_first <= last and first <= leave_last for leave_first, leave_last in self.leave)

    def on_shift(self, policy: SchedulingPolicy, start: datetime, end: datetime) -> bool:
        """Whether one of the engineer's shifts covers ``[start, end)`` (always, for one who keeps opening hours)."""
        if not self.shifts:
            return True
        day = policy.lab_date(start)
        return any(
            datetime.combine(day, begins, policy.zone) <= start and end <= datetime.combine(day, ends, policy.zone)
            for begins, ends in self.shifts.get(day.weekday(), [])
        )


@dataclass
class Roster:
    """The engineers qualified for a method (by user id) and the work each already holds, ``[start, end)``."""

    engineers: list[EngineerTime]
    busy: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=lambda: defaultdict(list))

    def busy_during(self, engineer_id: int, start: datetime, end: datetime) -> bool:
        """Whether the engineer already holds other work overlapping ``[start, end)``."""
        return any(begins < end and start < ends for begins, ends in self.busy.get(engineer_id, []))

    def working(self, policy: SchedulingPolicy, start: datetime, end: datetime) -> list[EngineerTime]:
        """The qualified engineers on shift and not on leave for the whole of ``[start, end)``."""
        return [e for e in self.engineers if e.on_shift(policy, start, end) and not e.on_leave(policy, start, end)]

    def pick(self, policy: SchedulingPolicy, start: datetime, end: datetime) -> int | None:
        """The first engineer (by user id) working and free over ``[start, end)``, or None."""
        return next((e.id for e in self.working(policy, start, end) if not self.busy_during(e.id, start, end)), None)


def read_roster(
    session: Session, kinds: Sequence[str], since: datetime, until: datetime, ignored: int | None
) -> Roster:
    """The active engineers qualified for every kind in ``kinds``, with their time over ``[since, until)``.

    Args:
        ignored: a booking being rescheduled: the work it holds does not keep its engineer busy.
    """
    needed = set(kinds)
    query = (
        select(User.id, User.qualifications).where(User.role == Role.ENGINEER, col(User.active)).order_by(col(User.id))
    )
    ids = [user_id for user_id, qualifications in session.exec(query) if user_id and needed <= set(qualifications)]
    if not ids:
        return Roster([])
    shifts: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    for shift in session.exec(select(EngineerShift).where(col(EngineerShift.engineer_id).in_(ids))):
        shifts[shift.engineer_id][shift.weekday].append((shift.starts_at, shift.ends_at))
    leave: dict[int, list[tuple[date, date]]] = defaultdict(list)
    # A day's margin either side: the stretch's ends are UTC, leave days are the lab's.
    leave_query = select(EngineerLeave).where(
        col(EngineerLeave.engineer_id).in_(ids),
        col(EngineerLeave.last_day) >= since.date() - timedelta(days=1),
        col(EngineerLeave.first_day) <= until.date() + timedelta(days=1),
    )
    for days_off in session.exec(leave_query):
        leave[days_off.engineer_id].append((days_off.first_day, days_off.last_day))
    roster = Roster([EngineerTime(i, dict(shifts.get(i, {})), leave.get(i, [])) for i in ids])
    work = select(Reservation.engineer_id, Reservation.starts_at, Reservation.ends_at).where(
        col(Reservation.engineer_id).in_(ids),
        col(Reservation.active),
        col(Reservation.starts_at) >= since - MAX_RESERVATION_SPAN,
        col(Reservation.starts_at) < until,
        col(Reservation.ends_at) > since,
    )
    if ignored is not None:
        work = work.where(Reservation.booking_id != ignored)
    for engineer_id, starts_at, ends_at in session.exec(work):
        if engineer_id is not None:
            roster.busy[engineer_id].append((starts_at, ends_at))
    return roster

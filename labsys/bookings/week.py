"""The lab's week as its staff plan it: each instrument's reservations, day by day within opening hours."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlmodel import Session, SQLModel, col, select

from labsys.bookings.models import Booking, BookingStatus
from labsys.companies.models import Company
from labsys.equipment.models import Instrument, InstrumentStatus
from labsys.methods.models import TestMethod
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import Reservation
from labsys.scheduling.policy import MAX_RESERVATION_SPAN

__all__ = ["InstrumentWeek", "LabDay", "ScheduledBlock", "WeekSchedule", "week_schedule"]


class LabDay(SQLModel):
    """One day of the week: when the lab opens and closes (None when it is closed), and the holiday's name."""

    day: date
    opens_at: datetime | None
    closes_at: datetime | None
    holiday: str | None = None
    weekly_closed: bool = False


class ScheduledBlock(SQLModel):
    """A booking's hold on an instrument: the work from ``starts_at`` to ``ends_at``, the setup buffer after it
    until ``blocked_until``, and when the runs on it really started and ended."""

    booking_id: int
    method: str
    company: str
    status: BookingStatus
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    actual_start: datetime | None
    actual_end: datetime | None


class InstrumentWeek(SQLModel):
    """An instrument and its reservations in the week, earliest first."""

    asset_tag: str
    kind: str
    model: str
    status: InstrumentStatus
    blocks: list[ScheduledBlock]


class WeekSchedule(SQLModel):
    """The week beginning ``monday`` (lab zone): its seven days and every instrument in service or held."""

    monday: date
    days: list[LabDay]
    instruments: list[InstrumentWeek]


def _days(policy: SchedulingPolicy, monday: date) -> list[LabDay]:
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        opens, closes = policy.opening(day) if policy.is_open(day) else (None, None)
        days.append(
            LabDay(
                day=day,
                opens_at=opens,
                closes_at=closes,
                holiday=policy.holidays_of(day.year).get(day),
                weekly_closed=day.weekday() in policy.closed_weekdays,
            )
        )
    return days


def week_schedule(*, session: Session, policy: SchedulingPolicy, monday: date) -> WeekSchedule:
    """Every active reservation that overlaps the lab week beginning ``monday``, by instrument (retired instruments
    only if they hold one)."""
    start, end = policy.week_bounds(monday)
    rows = session.exec(
        select(Reservation, Booking, TestMethod.code, Company.name)
        .join(Booking, col(Booking.id) == col(Reservation.booking_id))
        .join(TestMethod, col(TestMethod.id) == col(Booking.method_id))
        .join(Company, col(Company.id) == col(Booking.company_id))
        .where(
            col(Reservation.active),
            col(Reservation.starts_at) >= start - MAX_RESERVATION_SPAN,
            col(Reservation.starts_at) < end,
            col(Reservation.blocked_until) > start,
        )
        .order_by(col(Reservation.starts_at))
    ).all()
    blocks: dict[int, list[ScheduledBlock]] = defaultdict(list)
    for reservation, booking, method, company in rows:
        blocks[reservation.instrument_id].append(
            ScheduledBlock.model_validate(
                reservation,
                update={"booking_id": booking.id, "method": method, "company": company, "status": booking.status},
            )
        )
    instruments = session.exec(select(Instrument).order_by(col(Instrument.kind), col(Instrument.asset_tag))).all()
    return WeekSchedule(
        monday=monday,
        days=_days(policy, monday),
        instruments=[
            InstrumentWeek(asset_tag=i.asset_tag, kind=i.kind, model=i.model, status=i.status, blocks=blocks[i.id or 0])
            for i in instruments
            if i.status != InstrumentStatus.RETIRED or blocks[i.id or 0]
        ],
    )

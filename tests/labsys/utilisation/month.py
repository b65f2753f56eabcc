"""A generated month of the lab's work written straight into the database: reservations used, shrunk to their use,
left unused, released as no-shows (some then rescheduled, some written as before the lab kept release reasons),
cancelled or rescheduled away, and downtime blocks; with what each should count for, so a test can count by hand."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from labsys.bookings.models import Booking, BookingStatus
from labsys.companies.models import Company
from labsys.scheduling.models import Downtime, DowntimeKind, ReleaseReason, Reservation
from tests.factories import Lab

__all__ = ["FIRST_MONDAY", "WEEKS", "Counted", "Month", "generate_month", "seoul"]

SEOUL = ZoneInfo("Asia/Seoul")
#: 2026-03-02 is a Monday and a substitute holiday (삼일절 fell on a Sunday): that week has four open days.
FIRST_MONDAY = date(2026, 3, 2)
WEEKS = 5


def seoul(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` on ``day`` in the lab's zone, as UTC."""
    return datetime.combine(day, time(hour, minute), SEOUL).astimezone(UTC)


@dataclass(frozen=True)
class Counted:
    """A stretch of time that should count: ``kind`` is ``booked``, ``used`` or ``down``."""

    kind: str
    asset_tag: str
    company: str | None
    start: datetime
    end: datetime


@dataclass
class Month:
    """What was written, and what of it should count."""

    counted: list[Counted] = field(default_factory=list)
    fates: Counter[str] = field(default_factory=Counter)


def _booking(session: Session, lab: Lab, company: Company, start: datetime, end: datetime) -> Booking:
    method = lab.methods["DIODE-IV"]
    booking = Booking(
        company_id=company.id or 0, method_id=method.id or 0, method_version=method.version,
        requested_by_id=lab.customer.id or 0, status=BookingStatus.CONFIRMED, quantity=1, fee_krw=method.fee_krw,
        starts_at=start, ends_at=end,
    )  # fmt: skip
    session.add(booking)
    session.flush()
    return booking


def _slot(session: Session, lab: Lab, month: Month, draw: random.Random, tag: str, start: datetime) -> datetime:
    """Write one reservation of ``tag`` at ``start`` in one of six fates; return when the instrument is free."""
    company = draw.choice([lab.company, lab.other_company])
    booked_end = start + timedelta(minutes=draw.randrange(30, 240, 15))
    booking = _booking(session, lab, company, start, booked_end)
    instrument_id = lab.instruments[tag].id or 0
    fate = draw.choice(["used", "overran", "shrunk", "unused", "no-show", "cancelled", "rescheduled", "no-show, moved"])
    reservation = Reservation(
        booking_id=booking.id or 0, instrument_id=instrument_id, starts_at=start, ends_at=booked_end,
        blocked_until=booked_end + timedelta(minutes=15),
    )  # fmt: skip
    used: tuple[datetime, datetime] | None = None
    if fate in {"used", "overran", "shrunk"}:
        began = start + timedelta(minutes=draw.randrange(0, 20))
        ended = booked_end - timedelta(minutes=draw.randrange(0, 20)) if fate != "overran" else booked_end
        used = (began, ended)
        reservation.actual_start, reservation.actual_end = used
        if fate == "shrunk":  # the reservation ended with the work; the booked end is kept
            reservation.booked_ends_at, reservation.ends_at = booked_end, ended
            reservation.blocked_until = ended + timedelta(minutes=15)
    elif fate == "no-show":
        reservation.active = False
        booking.no_show_at = start + timedelta(minutes=61)
        if draw.random() < 0.5:  # else released before the lab kept the reason: told by the booking's mark
            reservation.release_reason, reservation.released_at = ReleaseReason.NO_SHOW, booking.no_show_at
    elif fate == "no-show, moved":  # nobody came, then it was moved out of the month: the wasted slot still counts
        reservation.active = False
        reservation.release_reason, reservation.released_at = ReleaseReason.NO_SHOW, start + timedelta(minutes=61)
        booking.starts_at = start + timedelta(days=60)
    elif fate == "cancelled":
        reservation.active = False
        reservation.release_reason, reservation.released_at = ReleaseReason.CANCELLED, start - timedelta(days=1)
        booking.status = BookingStatus.CANCELLED
    elif fate == "rescheduled":  # moved to a slot outside the month: this one was freed
        reservation.active = False
        reservation.release_reason, reservation.released_at = ReleaseReason.RESCHEDULED, start - timedelta(days=1)
        booking.starts_at = start + timedelta(days=60)
        if draw.random() < 0.5:  # and nobody came to the new slot either: only that one was wasted
            booking.no_show_at = booking.starts_at + timedelta(minutes=61)
    session.add_all([booking, reservation])
    session.flush()
    month.fates[fate if fate != "rescheduled" or booking.no_show_at is None else "rescheduled, then no-show"] += 1
    if fate not in {"cancelled", "rescheduled"}:
        month.counted.append(Counted("booked", tag, company.name, start, booked_end))
    if used is not None:
        month.counted.append(Counted("used", tag, company.name, *used))
    return booked_end + timedelta(minutes=15)


def generate_month(session: Session, lab: Lab, seed: int = 20261202) -> Month:
    """Fill SMU-01 and DMM-01 with work on every weekday of :data:`WEEKS` weeks from :data:`FIRST_MONDAY` (and a
    little on the Sunday before and the Monday after, which must not count), and lay downtime on them (committed)."""
    draw = random.Random(seed)  # noqa: S311 - a reproducible workload, not a secret
    month = Month()
    days = [FIRST_MONDAY - timedelta(days=1) + timedelta(days=n) for n in range(WEEKS * 7 + 2)]
    for tag in ("SMU-01", "DMM-01"):
        for day in days:
            if day.weekday() >= 5 and draw.random() < 0.8:
                continue
            moment = seoul(day, 8) + timedelta(minutes=draw.randrange(0, 120, 15))
            while moment < seoul(day, 17):
                moment = _slot(session, lab, month, draw, tag, moment) + timedelta(minutes=draw.randrange(0, 90, 15))
    blocks = [
        ("SMU-01", seoul(FIRST_MONDAY + timedelta(days=3), 13), seoul(FIRST_MONDAY + timedelta(days=4), 11)),
        ("SMU-01", seoul(FIRST_MONDAY + timedelta(days=4), 10), seoul(FIRST_MONDAY + timedelta(days=4), 15)),
        ("DMM-01", seoul(FIRST_MONDAY + timedelta(days=13), 0), seoul(FIRST_MONDAY + timedelta(days=15), 12)),
        ("DMM-01", seoul(FIRST_MONDAY - timedelta(days=3), 9), seoul(FIRST_MONDAY, 12)),  # from the week before
    ]
    for tag, start, end in blocks:
        session.add(
            Downtime(
                instrument_id=lab.instruments[tag].id or 0,
                kind=DowntimeKind.REPAIR,
                starts_at=start,
                ends_at=end,
                reason="relay",
            )
        )
        month.counted.append(Counted("down", tag, None, start, end))
    session.commit()
    return month

"""What the scheduling rules read from the database for one window of time, in a handful of queries.

Rules and availability never query per candidate slot: :func:`load_context` reads the method's instruments,
the active reservations overlapping the window (an index range scan on ``(instrument_id, starts_at)``), the
company's bookings per week and the qualified engineers once, and the rules work on that in memory.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from labsys.bookings.models import Booking, BookingStatus, Reservation
from labsys.catalog.models import TestMethod
from labsys.companies.models import Role, User
from labsys.registry.models import Instrument, InstrumentStatus
from labsys.scheduling.policy import MAX_RESERVATION_SPAN, SchedulingPolicy

__all__ = ["INACTIVE_STATUSES", "Occupancy", "SchedulingContext", "load_context"]

#: Bookings in these states hold no instrument time and count towards no quota.
INACTIVE_STATUSES = (BookingStatus.CANCELLED, BookingStatus.REJECTED)


@dataclass
class Occupancy:
    """The busy intervals ``[starts_at, blocked_until)`` of each instrument, sorted by start.

    Active reservations of one instrument never overlap (the database guarantees it), so both lists are sorted
    and a free check is one binary search.
    """

    starts: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    ends: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))

    def add(self, instrument_id: int, start: datetime, blocked_until: datetime) -> None:
        """Add a busy interval; intervals of one instrument must be added in order of start."""
        self.starts[instrument_id].append(start)
        self.ends[instrument_id].append(blocked_until)

    def is_free(self, instrument_id: int, start: datetime, blocked_until: datetime) -> bool:
        """Whether the instrument is free over ``[start, blocked_until)``."""
        starts = self.starts.get(instrument_id)
        if not starts:
            return True
        before = bisect_left(starts, blocked_until)  # intervals [0, before) start before we end
        return before == 0 or self.ends[instrument_id][before - 1] <= start


@dataclass
class SchedulingContext:
    """Everything the rules need to judge starts within one window, for one method and one company."""

    policy: SchedulingPolicy
    now: datetime
    method: TestMethod
    window_start: datetime
    window_end: datetime
    company_id: int | None
    instruments: dict[str, list[Instrument]]
    occupancy: Occupancy
    bookings_per_week: dict[date, int]
    engineer_qualified: bool


def load_context(
    session: Session,
    *,
    method: TestMethod,
    policy: SchedulingPolicy,
    now: datetime,
    window_start: datetime,
    window_end: datetime,
    company_id: int | None,
    ignore_booking_id: int | None = None,
) -> SchedulingContext:
    """Read what the rules need to judge every start in ``[window_start, window_end)``.

    Args:
        ignore_booking_id: a booking being rescheduled: its own reservations and quota count are left out, as
            they are freed by the move.
    """
    instruments = _instruments_by_kind(session, method.instrument_kinds)
    ids = [i.id for group in instruments.values() for i in group if i.id is not None]
    # A slot starting just before the window's end holds its instruments for the work and the longest buffer.
    longest_buffer = max((i.setup_buffer_min for group in instruments.values() for i in group), default=0)
    reach = window_end + timedelta(minutes=method.duration_min + longest_buffer)
    return SchedulingContext(
        policy=policy,
        now=now,
        method=method,
        window_start=window_start,
        window_end=window_end,
        company_id=company_id,
        instruments=instruments,
        occupancy=_occupancy(session, ids, window_start, reach, ignore_booking_id),
        bookings_per_week=_bookings_per_week(
            session,
            policy=policy,
            company_id=company_id,
            start=window_start,
            end=window_end,
            ignore_booking_id=ignore_booking_id,
        ),
        engineer_qualified=_engineer_qualified(session, method.instrument_kinds),
    )


def _instruments_by_kind(session: Session, kinds: list[str]) -> dict[str, list[Instrument]]:
    found = session.exec(
        select(Instrument)
        .where(col(Instrument.kind).in_(kinds), Instrument.status == InstrumentStatus.IN_SERVICE)
        .order_by(col(Instrument.asset_tag))
    ).all()
    by_kind: dict[str, list[Instrument]] = {kind: [] for kind in kinds}
    for instrument in found:
        by_kind[instrument.kind].append(instrument)
    return by_kind


def _occupancy(
    session: Session, instrument_ids: list[int], start: datetime, end: datetime, ignore_booking_id: int | None
) -> Occupancy:
    occupancy = Occupancy()
    if not instrument_ids:
        return occupancy
    query = (
        select(Reservation.instrument_id, Reservation.starts_at, Reservation.blocked_until)
        .where(
            col(Reservation.instrument_id).in_(instrument_ids),
            col(Reservation.active),
            col(Reservation.starts_at) >= start - MAX_RESERVATION_SPAN,
            col(Reservation.starts_at) < end,
            col(Reservation.blocked_until) > start,
        )
        .order_by(col(Reservation.instrument_id), col(Reservation.starts_at))
    )
    if ignore_booking_id is not None:
        query = query.where(Reservation.booking_id != ignore_booking_id)
    for instrument_id, starts_at, blocked_until in session.exec(query):
        occupancy.add(instrument_id, starts_at, blocked_until)
    return occupancy


def _bookings_per_week(
    session: Session,
    *,
    policy: SchedulingPolicy,
    company_id: int | None,
    start: datetime,
    end: datetime,
    ignore_booking_id: int | None,
) -> dict[date, int]:
    counts: dict[date, int] = defaultdict(int)
    if company_id is None:
        return counts
    first, _ = policy.week_bounds(policy.week_of(start))
    _, last = policy.week_bounds(policy.week_of(end))
    query = select(Booking.starts_at).where(
        Booking.company_id == company_id,
        col(Booking.status).not_in(INACTIVE_STATUSES),
        col(Booking.starts_at) >= first,
        col(Booking.starts_at) < last,
    )
    if ignore_booking_id is not None:
        query = query.where(Booking.id != ignore_booking_id)
    for starts_at in session.exec(query):
        if starts_at is not None:
            counts[policy.week_of(starts_at)] += 1
    return counts


def _engineer_qualified(session: Session, kinds: list[str]) -> bool:
    engineers = session.exec(select(User.qualifications).where(User.role == Role.ENGINEER, col(User.active))).all()
    return any(set(kinds) <= set(qualifications) for qualifications in engineers)

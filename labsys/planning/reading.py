"""The planning problem of a stretch of the lab's time, read from the database.

What is re-planned: confirmed and sample-received bookings whose slot in ``[start, end)`` has not started and lies
beyond the minimum notice (movable), those of them with no active reservation at all (never placed, or released as
no-shows), and those whose reservation lies in an instrument's downtime (displaced: re-planned even inside the
notice, since they cannot keep their slot). Everything else that holds instrument time over the stretch — running
work, slots inside the notice, bookings not yet confirmed — is fixed: busy time for its instruments (until their
setup buffer is over) and its engineer.

Each re-planned booking's release is the minimum notice from now, as for a booking a customer makes: the lab moving
work gives the customer the same notice the rules give anyone. A booking whose samples are not all in yet is never
moved earlier than the slot its customer booked (they ship the sample for that day). Its promise runs from sample
receipt (7 working days, urgent 5); with the samples not in, from its booked start (or from now if it has none).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from labsys.bookings.models import Booking, BookingStatus, Sample, Urgency
from labsys.companies.models import Company, Role, User
from labsys.equipment.models import Instrument, InstrumentStatus
from labsys.methods.models import TestMethod
from labsys.planning import problem as plan
from labsys.scheduling.models import Downtime, Reservation
from labsys.scheduling.policy import MAX_RESERVATION_SPAN, SchedulingPolicy
from labsys.scheduling.roster import EngineerTime, read_roster

__all__ = ["REPLANNED", "BookingFacts", "LabProblem", "read_problem"]

#: The statuses of bookings whose work is waiting: the planner may place or move them.
REPLANNED = (BookingStatus.CONFIRMED, BookingStatus.SAMPLE_RECEIVED)


@dataclass(frozen=True)
class BookingFacts:
    """What a lab manager reads of a re-planned booking beside the plan, and what must not change before it applies."""

    company: str
    method: str
    updated_at: datetime


@dataclass(frozen=True)
class LabProblem:
    """A planning problem read from the lab, with the names a proposal is shown in."""

    problem: plan.PlanningProblem
    bookings: dict[int, BookingFacts]
    asset_tags: dict[int, str]
    engineers: dict[int, str]


@dataclass(frozen=True)
class _Held:
    """One booking's active reservations: when, on which instruments, by whom, and until when each is blocked."""

    start: datetime
    end: datetime
    instruments: dict[int, datetime]  # instrument id → blocked until
    engineer_id: int | None
    started: bool


def read_problem(
    session: Session, *, policy: SchedulingPolicy, now: datetime, start: datetime, end: datetime
) -> LabProblem:
    """The lab's planning problem over ``[start, end)`` as it stands at ``now`` (see the module's docstring)."""
    start = max(start, now)
    held = _held(session, start, end)
    every_instrument = session.exec(select(Instrument)).all()
    kind_of = {i.id or 0: i.kind for i in every_instrument}
    instruments = [i for i in every_instrument if i.status == InstrumentStatus.IN_SERVICE]
    downtime = _downtime(session, start, end)
    rows = session.exec(
        select(Booking, TestMethod, Company)
        .join(TestMethod, col(TestMethod.id) == col(Booking.method_id))
        .join(Company, col(Company.id) == col(Booking.company_id))
        .where(col(Booking.status).in_(REPLANNED))
        .order_by(col(Booking.id))
    ).all()
    waiting_ids = [b.id or 0 for b, _, _ in rows]
    received = _received(session, waiting_ids)
    holding = set(
        session.exec(
            select(Reservation.booking_id).where(col(Reservation.booking_id).in_(waiting_ids), col(Reservation.active))
        ).all()
    )
    notice = policy.earliest_start(now)
    bookings, facts = [], {}
    for booking, method, company in rows:
        booking_id = booking.id or 0
        current = held.get(booking_id)
        if (current is None and booking_id in holding) or not _replanned(current, notice, start, end, downtime):
            continue
        planned = _booking(policy, booking, method, company, received.get(booking_id), now)
        current_reservation = None if current is None else _reservation(current, planned.kinds, kind_of)
        samples_in = booking_id in received
        bookings.append(_with_current(planned, current, current_reservation, policy, samples_in=samples_in))
        facts[booking_id] = BookingFacts(company.name, method.code, booking.updated_at)
    replanned = set(facts)
    fixed = [h for booking_id, h in held.items() if booking_id not in replanned]
    problem = plan.PlanningProblem(
        start=start,
        end=end,
        now=now,
        grid_min=int(policy.grid.total_seconds() // 60),
        open_windows=plan.open_windows(policy, start, end),
        instruments=tuple(_instrument(i, downtime, fixed) for i in instruments),
        engineers=_engineers(session, policy, start, end, fixed),
        bookings=tuple(bookings),
        policy=policy,
    )
    names = {
        user_id or 0: name
        for user_id, name in session.exec(select(User.id, User.name).where(User.role == Role.ENGINEER))
    }
    return LabProblem(problem, facts, {i.id or 0: i.asset_tag for i in every_instrument}, names)


def _replanned(
    current: _Held | None, notice: datetime, start: datetime, end: datetime, downtime: dict[int, list[plan.Period]]
) -> bool:
    if current is None:
        return True  # waiting for a slot (the caller leaves out bookings holding one outside the horizon)
    if current.started or not (start <= current.start < end):
        return False
    displaced = any(
        period.overlaps(current.start, blocked) for i, blocked in current.instruments.items() for period in downtime[i]
    )
    return displaced or current.start >= notice


def _held(session: Session, start: datetime, end: datetime) -> dict[int, _Held]:
    """Each booking's active reservations touching ``[start, end)`` (or starting in it), by booking."""
    rows = session.exec(
        select(Reservation).where(
            col(Reservation.active),
            col(Reservation.starts_at) >= start - MAX_RESERVATION_SPAN,
            col(Reservation.starts_at) < end,
            col(Reservation.blocked_until) > start,
        )
    ).all()
    by_booking: dict[int, list[Reservation]] = defaultdict(list)
    for r in rows:
        by_booking[r.booking_id].append(r)
    return {
        booking_id: _Held(
            start=min(r.starts_at for r in rs),
            end=max(r.ends_at for r in rs),
            instruments={r.instrument_id: r.blocked_until for r in rs},
            engineer_id=rs[0].engineer_id,
            started=any(r.actual_start is not None for r in rs),
        )
        for booking_id, rs in by_booking.items()
    }


def _downtime(session: Session, start: datetime, end: datetime) -> dict[int, list[plan.Period]]:
    blocks: dict[int, list[plan.Period]] = defaultdict(list)
    query = select(Downtime).where(col(Downtime.starts_at) < end + MAX_RESERVATION_SPAN, col(Downtime.ends_at) > start)
    for block in session.exec(query):
        blocks[block.instrument_id].append(plan.Period(block.starts_at, block.ends_at))
    return blocks


def _received(session: Session, booking_ids: list[int]) -> dict[int, datetime]:
    """When each booking's last sample arrived, for the bookings whose samples are all in."""
    samples: dict[int, list[datetime | None]] = defaultdict(list)
    for booking_id, received_at in session.exec(
        select(Sample.booking_id, Sample.received_at).where(col(Sample.booking_id).in_(booking_ids))
    ):
        samples[booking_id].append(received_at)
    return {b: max(t for t in ts if t) for b, ts in samples.items() if ts and all(ts)}


def _booking(  # noqa: PLR0917 - one booking's facts
    policy: SchedulingPolicy,
    booking: Booking,
    method: TestMethod,
    company: Company,
    received: datetime | None,
    now: datetime,
) -> plan.Booking:
    """The booking as if it held no slot: released after the notice, promised from receipt (or now)."""
    urgent = booking.urgency == Urgency.URGENT
    promise_from = received or now
    promised = plan.promised_date(policy, promise_from, urgent=urgent)
    return plan.Booking(
        id=booking.id or 0,
        company=company.name,
        kinds=tuple(method.instrument_kinds),
        duration_min=method.duration_min,
        release=policy.earliest_start(now),
        received=promise_from,
        promised=promised,
        promised_by=plan.promise_deadline(policy, promised),
        urgent=urgent,
    )


def _with_current(
    booking: plan.Booking,
    held: _Held | None,
    current: plan.Reservation | None,
    policy: SchedulingPolicy,
    *,
    samples_in: bool,
) -> plan.Booking:
    """The booking with the slot it holds; with its samples not in yet, released and promised from that slot."""
    if held is None or samples_in:
        return replace(booking, current=current)
    promised = plan.promised_date(policy, held.start, urgent=booking.urgent)
    return replace(
        booking,
        release=max(booking.release, held.start),  # the customer ships the sample for the slot they booked
        received=held.start,
        promised=promised,
        promised_by=plan.promise_deadline(policy, promised),
        current=current,
    )


def _reservation(held: _Held, kinds: tuple[str, ...], kind_of: dict[int, str]) -> plan.Reservation:
    """The slot a booking holds, its instruments in the order of the method's kinds."""
    ids = sorted(
        held.instruments, key=lambda i: (kinds.index(kind_of[i]) if kind_of.get(i) in kinds else len(kinds), i)
    )
    return plan.Reservation(held.start, tuple(ids), held.engineer_id)


def _instrument(
    instrument: Instrument, downtime: dict[int, list[plan.Period]], fixed: Iterable[_Held]
) -> plan.Instrument:
    """The instrument with its downtime, and the fixed work it holds as time it cannot take more work."""
    instrument_id = instrument.id or 0
    busy = [plan.Period(h.start, h.instruments[instrument_id]) for h in fixed if instrument_id in h.instruments]
    return plan.Instrument(
        id=instrument_id,
        asset_tag=instrument.asset_tag,
        kind=instrument.kind,
        setup_buffer_min=instrument.setup_buffer_min,
        calibration_due=instrument.calibration_due,
        downtime=tuple(sorted([*downtime.get(instrument_id, []), *busy])),
    )


def _engineers(
    session: Session, policy: SchedulingPolicy, start: datetime, end: datetime, fixed: list[_Held]
) -> tuple[plan.Engineer, ...]:
    """Every active engineer: qualifications, and shifts minus leave minus fixed work over the horizon."""
    roster = read_roster(session, (), start, end, None)  # no kinds: every active engineer, with shifts and leave
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_([e.id for e in roster.engineers])))}
    busy: dict[int, list[plan.Period]] = defaultdict(list)
    for h in fixed:
        if h.engineer_id is not None:
            busy[h.engineer_id].append(plan.Period(h.start, h.end))
    return tuple(
        plan.Engineer(
            id=e.id,
            name=users[e.id].name,
            qualified_kinds=frozenset(users[e.id].qualifications),
            available=_minus(_at_work(policy, e, start, end), busy[e.id]),
        )
        for e in roster.engineers
    )


def _at_work(policy: SchedulingPolicy, engineer: EngineerTime, start: datetime, end: datetime) -> list[plan.Period]:
    """The engineer's shifts (the opening hours if they keep no shifts) on open days off leave."""
    periods = []
    day, last = policy.lab_date(start), policy.lab_date(end)
    while day <= last:
        if policy.is_open(day) and not any(first <= day <= final for first, final in engineer.leave):
            periods.extend(_shifts(policy, engineer, day))
        day += timedelta(days=1)
    return periods


def _shifts(policy: SchedulingPolicy, engineer: EngineerTime, day: date) -> list[plan.Period]:
    if not engineer.shifts:
        return [plan.Period(*policy.opening(day))]
    return [
        plan.Period(
            datetime.combine(day, begins, policy.zone).astimezone(UTC),
            datetime.combine(day, ends, policy.zone).astimezone(UTC),
        )
        for begins, ends in engineer.shifts.get(day.weekday(), [])
    ]


def _minus(periods: list[plan.Period], busy: list[plan.Period]) -> tuple[plan.Period, ...]:
    """``periods`` with every busy span cut out, sorted."""
    left = sorted(periods)
    for taken in busy:
        cut = []
        for p in left:
            if not p.overlaps(taken.start, taken.end):
                cut.append(p)
                continue
            if p.start < taken.start:
                cut.append(plan.Period(p.start, taken.start))
            if taken.end < p.end:
                cut.append(plan.Period(taken.end, p.end))
        left = cut
    return tuple(left)

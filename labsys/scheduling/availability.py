"""Free slots for a method, the earliest one, and the check a proposed start must pass.

Availability and bookings use the same rules (:mod:`labsys.scheduling.rules`), so every slot offered can be
booked, and a refused start names the next slot that would work. Looking for a free slot, a start refused for a
reason that holds for a while (every instrument of a kind busy until 15:00, a weekly quota, a closed day) skips
straight past it, so a full calendar is crossed reservation by reservation, not slot by slot.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from labsys.errors import RuleViolation
from labsys.scheduling.context import Quota, SchedulingContext, TimedMethod, read_context
from labsys.scheduling.policy import SchedulingPolicy
from labsys.scheduling.rules import Refusal, Slot, engineer_qualification, evaluate, instrument_in_service

__all__ = ["MAX_WINDOW", "Start", "check_start", "earliest_slot", "find_slots", "first_slot", "slot_for"]

#: A requested start: an aware time, or the earliest free slot.
Start = datetime | Literal["earliest"]

#: The longest window one availability query may ask for.
MAX_WINDOW = timedelta(days=31)
#: Where the search for the next free slot looks first; most refusals find one this close.
_NEAR = timedelta(days=7)


def find_slots(
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    start: datetime,
    end: datetime,
    quota: Quota | None,
    ignore_booking_id: int | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """The free slots on the grid with a start in ``[start, end)``, earliest first.

    A slot holds one instrument of every kind the method needs, all free together, and passes every rule for the
    company whose ``quota`` is given (staff, asking with None, have none).
    """
    start = max(start, policy.earliest_start(now))
    end = min(end, policy.latest_start(now) + timedelta(microseconds=1))
    if start >= end:
        return []
    ctx = read_context(
        session, method=method, policy=policy, now=now, since=start, until=end, quota=quota,
        ignore_booking_id=ignore_booking_id,
    )  # fmt: skip
    return _search(ctx, start, end, limit)


def _search(ctx: SchedulingContext, start: datetime, end: datetime, limit: int | None) -> list[Slot]:
    slots: list[Slot] = []
    if not ctx.engineer_qualified:
        return slots
    not_before = start
    for candidate in ctx.policy.grid_starts(start, end, timedelta(minutes=ctx.method.duration_min)):
        if candidate < not_before:
            continue
        verdict = evaluate(ctx, candidate)
        if isinstance(verdict, Refusal):
            if verdict.retry_at is None:
                break
            not_before = verdict.retry_at
            continue
        slots.append(verdict)
        if limit is not None and len(slots) >= limit:
            break
    return slots


def first_slot(
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    after: datetime,
    quota: Quota | None,
    ignore_booking_id: int | None = None,
) -> Slot | None:
    """The earliest free slot starting at or after ``after``, up to the maximum advance.

    The coming week is read first; only if it has nothing free is the rest of the booking horizon read.
    """
    start = max(after, policy.earliest_start(now))
    horizon = policy.latest_start(now) + timedelta(microseconds=1)
    for since, until in ((start, min(start + _NEAR, horizon)), (start + _NEAR, horizon)):
        found = find_slots(
            session=session, method=method, policy=policy, now=now, start=since, end=until, quota=quota,
            ignore_booking_id=ignore_booking_id, limit=1,
        )  # fmt: skip
        if found:
            return found[0]
    return None


def earliest_slot(
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    quota: Quota | None,
    ignore_booking_id: int | None = None,
) -> Slot:
    """The earliest free slot from now on.

    Raises:
        RuleViolation: none is free within the maximum advance: ``engineer_qualification`` or
            ``instrument_in_service`` when that is why, else ``no_free_slot``.
    """
    found = first_slot(
        session=session, method=method, policy=policy, now=now, after=now, quota=quota,
        ignore_booking_id=ignore_booking_id,
    )  # fmt: skip
    if found is not None:
        return found
    ctx = read_context(session, method=method, policy=policy, now=now, since=now, until=now, quota=quota)
    for name, rule in (
        ("engineer_qualification", engineer_qualification),
        ("instrument_in_service", instrument_in_service),
    ):
        detail = rule(ctx, now, now)
        if detail is not None:
            raise RuleViolation(name, f"{name}: {detail}", next_slot=None)
    raise RuleViolation("no_free_slot", "no_free_slot: no slot is free within the booking horizon", next_slot=None)


def check_start(
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    start: datetime,
    quota: Quota | None,
    ignore_booking_id: int | None = None,
) -> Slot:
    """The slot for a proposed start, if every rule allows it.

    Raises:
        RuleViolation: a rule refuses it; ``rule`` names the rule and ``extra['next_slot']`` (ISO 8601 UTC, or
            None) is the next start that would work.
    """
    ctx = read_context(
        session, method=method, policy=policy, now=now, since=start,
        until=start + timedelta(minutes=method.duration_min), quota=quota, ignore_booking_id=ignore_booking_id,
    )  # fmt: skip
    verdict = evaluate(ctx, start)
    if isinstance(verdict, Slot):
        return verdict
    following = None
    if verdict.rule != "engineer_qualification":
        found = first_slot(
            session=session, method=method, policy=policy, now=now,
            after=start if start <= policy.latest_start(now) else now, quota=quota,
            ignore_booking_id=ignore_booking_id,
        )  # fmt: skip
        following = found.start.isoformat() if found else None
    suffix = f"; the next free slot is {following}" if following else "; no slot is free within the booking horizon"
    raise RuleViolation(verdict.rule, f"{verdict.rule}: {verdict.detail}{suffix}", next_slot=following)


def slot_for(
    *,
    session: Session,
    method: TimedMethod,
    start: Start,
    policy: SchedulingPolicy,
    now: datetime,
    quota: Quota | None,
    ignore_booking_id: int | None = None,
) -> Slot:
    """The slot a booking (or a reschedule, ignoring its own booking) gets for ``start``.

    Raises:
        RuleViolation: the start is refused (see :func:`check_start`), or ``"earliest"`` finds nothing (see
            :func:`earliest_slot`).
    """
    if start == "earliest":
        return earliest_slot(
            session=session, method=method, policy=policy, now=now, quota=quota, ignore_booking_id=ignore_booking_id
        )
    return check_start(
        session=session, method=method, policy=policy, now=now, start=start, quota=quota,
        ignore_booking_id=ignore_booking_id,
    )  # fmt: skip

"""Free slots for a method, the earliest one, and the check a proposed start must pass.

Availability and bookings use the same rules (:mod:`labsys.scheduling.rules`), so every slot offered can be
booked, and a refused start names the next slot that would work.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from labsys.errors import RuleViolation
from labsys.scheduling.busy import HeldTime
from labsys.scheduling.occupancy import TimedMethod, load_context
from labsys.scheduling.policy import SchedulingPolicy
from labsys.scheduling.rules import Refusal, Slot, engineer_qualification, evaluate, instrument_in_service

__all__ = [
    "MAX_WINDOW",
    "Start",
    "check_start",
    "earliest_slot",
    "find_slots",
    "first_slot",
    "judge_start",
    "refusal_error",
    "slot_for",
]

#: A requested start: an aware time, or the earliest free slot.
Start = datetime | Literal["earliest"]

#: The longest window one availability query may ask for.
MAX_WINDOW = timedelta(days=31)
_SEARCH_STEP = timedelta(days=7)


def find_slots(
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    start: datetime,
    end: datetime,
    company_id: int | None,
    ignore_booking_id: int | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """The free slots on the grid with a start in ``[start, end)``, earliest first.

    A slot holds one instrument of every kind the method needs, all free together, and passes every rule for
    ``company_id`` (its weekly quota; staff asking with None have none).
    """
    start = max(start, policy.earliest_start(now))
    end = min(end, policy.latest_start(now) + timedelta(microseconds=1))
    if start >= end:
        return []
    ctx = load_context(
        session,
        method=method,
        policy=policy,
        now=now,
        window_start=start,
        window_end=end,
        company_id=company_id,
        ignore_booking_id=ignore_booking_id,
    )
    if not ctx.engineer_qualified:
        return []
    slots: list[Slot] = []
    for candidate in policy.grid_starts(start, end, timedelta(minutes=method.duration_min)):
        verdict = evaluate(ctx, candidate)
        if isinstance(verdict, Slot):
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
    company_id: int | None,
    ignore_booking_id: int | None = None,
) -> Slot | None:
    """The earliest free slot starting at or after ``after``, searched week by week up to the maximum advance."""
    start = max(after, policy.earliest_start(now))
    horizon = policy.latest_start(now) + timedelta(microseconds=1)
    while start < horizon:
        end = min(start + _SEARCH_STEP, horizon)
        found = find_slots(
            session=session,
            method=method,
            policy=policy,
            now=now,
            start=start,
            end=end,
            company_id=company_id,
            ignore_booking_id=ignore_booking_id,
            limit=1,
        )
        if found:
            return found[0]
        start = end
    return None


def earliest_slot(
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    company_id: int | None,
    ignore_booking_id: int | None = None,
) -> Slot:
    """The earliest free slot from now on.

    Raises:
        RuleViolation: none is free within the maximum advance: ``engineer_qualification`` or
            ``instrument_in_service`` when that is why, else ``no_free_slot``.
    """
    found = first_slot(
        session=session, method=method, policy=policy, now=now, after=now, company_id=company_id,
        ignore_booking_id=ignore_booking_id,
    )  # fmt: skip
    if found is not None:
        return found
    ctx = load_context(
        session, method=method, policy=policy, now=now, window_start=now, window_end=now, company_id=company_id
    )
    for name, rule in (
        ("engineer_qualification", engineer_qualification),
        ("instrument_in_service", instrument_in_service),
    ):
        detail = rule(ctx, now, now)
        if detail is not None:
            raise RuleViolation(name, f"{name}: {detail}", next_slot=None)
    raise RuleViolation("no_free_slot", "no_free_slot: no slot is free within the booking horizon", next_slot=None)


def judge_start(
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    start: datetime,
    company_id: int | None,
    ignore_booking_id: int | None = None,
    held: HeldTime | None = None,
) -> Slot | Refusal:
    """The slot for a proposed start, or the first rule it breaks.

    Args:
        held: time held by bookings of this transaction not yet written (see :class:`HeldTime`).
    """
    ctx = load_context(
        session,
        method=method,
        policy=policy,
        now=now,
        window_start=start,
        window_end=start + timedelta(minutes=method.duration_min),
        company_id=company_id,
        ignore_booking_id=ignore_booking_id,
        held=held,
    )
    return evaluate(ctx, start)


def check_start(
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    start: datetime,
    company_id: int | None,
    ignore_booking_id: int | None = None,
) -> Slot:
    """The slot for a proposed start, if every rule allows it.

    Raises:
        RuleViolation: a rule refuses it; ``rule`` names the rule and ``extra['next_slot']`` (ISO 8601 UTC, or
            None) is the next start that would work.
    """
    verdict = judge_start(
        session=session, method=method, policy=policy, now=now, start=start, company_id=company_id,
        ignore_booking_id=ignore_booking_id,
    )  # fmt: skip
    if isinstance(verdict, Slot):
        return verdict
    raise refusal_error(
        verdict,
        session=session,
        method=method,
        policy=policy,
        now=now,
        start=start,
        company_id=company_id,
        ignore_booking_id=ignore_booking_id,
    )


def refusal_error(
    refusal: Refusal,
    *,
    session: Session,
    method: TimedMethod,
    policy: SchedulingPolicy,
    now: datetime,
    start: datetime,
    company_id: int | None,
    ignore_booking_id: int | None = None,
) -> RuleViolation:
    """The error for a refused start, naming the rule and the next slot that would work (if any does)."""
    following = None
    if refusal.rule != "engineer_qualification":
        after = start if start <= policy.latest_start(now) else now
        found = first_slot(
            session=session,
            method=method,
            policy=policy,
            now=now,
            after=after,
            company_id=company_id,
            ignore_booking_id=ignore_booking_id,
        )
        following = found.start.isoformat() if found else None
    suffix = f"; the next free slot is {following}" if following else "; no slot is free within the booking horizon"
    return RuleViolation(refusal.rule, f"{refusal.rule}: {refusal.detail}{suffix}", next_slot=following)


def slot_for(
    *,
    session: Session,
    method: TimedMethod,
    start: Start,
    policy: SchedulingPolicy,
    now: datetime,
    company_id: int | None,
    ignore_booking_id: int | None = None,
) -> Slot:
    """The slot a booking (or a reschedule, ignoring its own booking) gets for ``start``.

    Raises:
        RuleViolation: the start is refused (see :func:`check_start`), or ``"earliest"`` finds nothing (see
            :func:`earliest_slot`).
    """
    if start == "earliest":
        return earliest_slot(
            session=session, method=method, policy=policy, now=now, company_id=company_id,
            ignore_booking_id=ignore_booking_id,
        )  # fmt: skip
    return check_start(
        session=session, method=method, policy=policy, now=now, start=start, company_id=company_id,
        ignore_booking_id=ignore_booking_id,
    )  # fmt: skip

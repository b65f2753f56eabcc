"""Every scheduling rule of the lab, in one place, applied identically to new bookings and reschedules.

A rule looks at one proposed start (and the work's end) in a :class:`SchedulingContext` and answers None when
it holds, or a sentence saying why not. :func:`evaluate` runs them in order and, when they all hold, picks one
free instrument of each kind the method needs (the first by asset tag) and the engineer who does the work (the
first by user id who is qualified, on shift, not on leave and not busy).

Rule names (``RuleViolation.rule``, ``extra.rule`` over HTTP):

- ``engineer_qualification``: no active engineer is qualified for every instrument kind of the method.
- ``closed_day``: a closed weekday, a public holiday or a day the lab closed.
- ``opening_hours``: the work does not fit within one day's opening hours.
- ``minimum_notice`` / ``maximum_advance``: too soon, or too far ahead.
- ``weekly_quota``: the company already has its quota of bookings in that lab week.
- ``instrument_in_service``: no instrument of a needed kind is in service.
- ``calibration``: no in-service instrument of a needed kind is calibrated through the work's end.
- ``downtime``: every calibrated instrument of a needed kind is down for maintenance or repair over part of
  ``[start, end + setup buffer)``; an instrument in downtime is never picked.
- ``engineer_on_shift``: no qualified engineer is on shift and off leave for the whole work, or every one who is
  is busy with another booking's work then.
- ``slot_taken``: every usable instrument of a needed kind is reserved at that time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from labsys.scheduling.context import BookableInstrument, SchedulingContext

__all__ = ["RULE_NAMES", "Refusal", "Slot", "evaluate", "judge"]


@dataclass(frozen=True)
class Slot:
    """A start that every rule allows, with the instruments (one per kind, in the method's order) it would hold."""

    start: datetime
    end: datetime
    instruments: tuple[BookableInstrument, ...]
    engineer_id: int | None = None

    def blocked_until(self, instrument: BookableInstrument) -> datetime:
        """When ``instrument`` is free again: the end of the work plus its setup buffer."""
        return self.end + timedelta(minutes=instrument.setup_buffer_min)


@dataclass(frozen=True)
class Refusal:
    """The first rule a start breaks, and why.

    ``retry_at`` is the earliest start that might pass the rule, so a search for the next free slot can skip
    what would be refused for the same reason; None when no later start can pass it.
    """

    rule: str
    detail: str
    retry_at: datetime | None


Rule = Callable[[SchedulingContext, datetime, datetime], str | None]


def _local(ctx: SchedulingContext, moment: datetime) -> str:
    return moment.astimezone(ctx.policy.zone).strftime("%Y-%m-%d %H:%M %Z")


def engineer_qualification(ctx: SchedulingContext, _start: datetime, _end: datetime) -> str | None:
    """At least one active engineer is qualified for every instrument kind the method needs."""
    if ctx.engineer_qualified:
        return None
    kinds = ", ".join(ctx.method.instrument_kinds)
    return f"no engineer of the lab is qualified to operate {kinds} together for {ctx.method.code}"


def closed_day(ctx: SchedulingContext, start: datetime, _end: datetime) -> str | None:
    """The lab is open on the day of the start (weekends, public holidays and closures configured)."""
    reason = ctx.policy.closed_reason(ctx.policy.lab_date(start))
    return None if reason is None else f"the lab is closed: {reason}"


def opening_hours(ctx: SchedulingContext, start: datetime, end: datetime) -> str | None:
    """The work starts and ends within one day's opening hours."""
    if ctx.policy.within_opening_hours(start, end):
        return None
    policy = ctx.policy
    hours = f"{policy.opening_time:%H:%M}-{policy.closing_time:%H:%M} {policy.zone.key}"
    return f"{_local(ctx, start)} to {_local(ctx, end)} is outside the lab's opening hours ({hours})"


def minimum_notice(ctx: SchedulingContext, start: datetime, _end: datetime) -> str | None:
    """The start is at least the minimum notice away from now."""
    if start >= ctx.policy.earliest_start(ctx.now):
        return None
    hours = ctx.policy.min_notice.total_seconds() / 3600
    earliest = _local(ctx, ctx.policy.earliest_start(ctx.now))
    return f"a booking needs {hours:g} hours' notice; the earliest start now is {earliest}"


def maximum_advance(ctx: SchedulingContext, start: datetime, _end: datetime) -> str | None:
    """The start is no further ahead than the maximum advance."""
    if start <= ctx.policy.latest_start(ctx.now):
        return None
    return f"bookings open at most {ctx.policy.max_advance.days} days ahead"


def weekly_quota(ctx: SchedulingContext, start: datetime, _end: datetime) -> str | None:
    """The company has fewer than its weekly quota of bookings in the lab week of the start."""
    week = ctx.policy.week_of(start)
    if ctx.quota is None or not ctx.quota.full(week):
        return None
    return f"your company already has {ctx.quota.limit} bookings in the week of {week.isoformat()}"


def instrument_in_service(ctx: SchedulingContext, _start: datetime, _end: datetime) -> str | None:
    """Some instrument of every kind the method needs is in service."""
    missing = [kind for kind, group in ctx.instruments.items() if not group]
    return None if not missing else f"no {', '.join(missing)} instrument is in service"


def calibration(ctx: SchedulingContext, _start: datetime, end: datetime) -> str | None:
    """Some in-service instrument of every kind is calibrated through the work's end."""
    last_day = ctx.policy.lab_date(end)
    lapsed = [kind for kind, group in ctx.instruments.items() if not any(i.calibrated_through(last_day) for i in group)]
    return None if not lapsed else f"no {', '.join(lapsed)} instrument is calibrated through {last_day.isoformat()}"


def _usable(
    ctx: SchedulingContext, group: list[BookableInstrument], start: datetime, end: datetime
) -> list[BookableInstrument]:
    """The instruments of ``group`` calibrated through the work's end and in no downtime over their span."""
    last_day = ctx.policy.lab_date(end)
    return [
        i
        for i in group
        if i.calibrated_through(last_day)
        and ctx.downtime.in_the_way(i.id, start, end + timedelta(minutes=i.setup_buffer_min)) is None
    ]


def downtime(ctx: SchedulingContext, start: datetime, end: datetime) -> str | None:
    """Some calibrated instrument of every kind is free of maintenance and repair over its span."""
    down = [kind for kind, group in ctx.instruments.items() if not _usable(ctx, group, start, end)]
    if not down:
        return None
    return f"every {', '.join(down)} instrument is down for maintenance or repair at {_local(ctx, start)}"


def engineer_on_shift(ctx: SchedulingContext, start: datetime, end: datetime) -> str | None:
    """A qualified engineer is on shift, off leave and free of other work for the whole of the work."""
    if ctx.roster.pick(ctx.policy, start, end) is not None:
        return None
    kinds = ", ".join(ctx.method.instrument_kinds)
    span = f"{_local(ctx, start)} to {_local(ctx, end)}"
    if ctx.roster.working(ctx.policy, start, end):
        return f"every engineer qualified for {kinds} is busy with other tests from {span}"
    return f"no engineer qualified for {kinds} is on duty from {span}"


#: The rules in the order they are checked; the first that fails names the refusal.
RULES: tuple[tuple[str, Rule], ...] = (
    ("engineer_qualification", engineer_qualification),
    ("closed_day", closed_day),
    ("opening_hours", opening_hours),
    ("minimum_notice", minimum_notice),
    ("maximum_advance", maximum_advance),
    ("weekly_quota", weekly_quota),
    ("instrument_in_service", instrument_in_service),
    ("calibration", calibration),
    ("downtime", downtime),
)

#: Every rule's name; ``slot_taken`` and then ``engineer_on_shift`` are judged once the instruments are picked, so
#: a slot another booking holds is refused as taken, not for want of the engineer who does that booking's work.
RULE_NAMES: tuple[str, ...] = (*(name for name, _ in RULES), "slot_taken", "engineer_on_shift")


def evaluate(ctx: SchedulingContext, start: datetime) -> Slot | Refusal:
    """Judge one start: the slot it would get, or the first rule it breaks."""
    end = start + timedelta(minutes=ctx.method.duration_min)
    for name, rule in RULES:
        detail = rule(ctx, start, end)
        if detail is not None:
            return Refusal(name, detail, _retry_at(ctx, name, start, end))
    chosen: list[BookableInstrument] = []
    for kind, group in ctx.instruments.items():
        usable = _usable(ctx, group, start, end)
        free_from = [ctx.occupancy.free_from(i.id, start, end + timedelta(minutes=i.setup_buffer_min)) for i in usable]
        free = next((i for i, busy_until in zip(usable, free_from, strict=True) if busy_until is None), None)
        if free is None:
            detail = f"every {kind} instrument is reserved at {_local(ctx, start)}"
            return Refusal("slot_taken", detail, min(t for t in free_from if t is not None))
        chosen.append(free)
    detail = engineer_on_shift(ctx, start, end)
    if detail is not None:
        return Refusal("engineer_on_shift", detail, _retry_at(ctx, "engineer_on_shift", start, end))
    return Slot(start, end, tuple(chosen), ctx.roster.pick(ctx.policy, start, end))


def judge(ctx: SchedulingContext, start: datetime, instrument_ids: tuple[int, ...], engineer_id: int) -> Slot | Refusal:
    """Judge a start with its instruments and engineer already chosen (the planner's placement): every rule as for
    :func:`evaluate`, and the chosen instruments (one per kind, in the method's order) and engineer must be ones the
    rules would allow — in service, calibrated, out of downtime and free; qualified, on shift, off leave and free.
    """
    end = start + timedelta(minutes=ctx.method.duration_min)
    for name, rule in RULES:
        detail = rule(ctx, start, end)
        if detail is not None:
            return Refusal(name, detail, None)
    chosen: list[BookableInstrument] = []
    for (kind, group), instrument_id in zip(ctx.instruments.items(), instrument_ids, strict=False):
        usable = {i.id: i for i in _usable(ctx, group, start, end)}
        instrument = usable.get(instrument_id)
        if instrument is None:
            detail = f"instrument {instrument_id} is not a usable {kind} instrument at {_local(ctx, start)}"
            return Refusal("downtime", detail, None)
        if ctx.occupancy.free_from(instrument.id, start, end + timedelta(minutes=instrument.setup_buffer_min)):
            return Refusal("slot_taken", f"{instrument.asset_tag} is reserved at {_local(ctx, start)}", None)
        chosen.append(instrument)
    if len(chosen) != len(ctx.instruments) or len(instrument_ids) != len(chosen):
        return Refusal("slot_taken", f"the method needs one instrument of each of {list(ctx.instruments)}", None)
    working = {e.id for e in ctx.roster.working(ctx.policy, start, end)}
    if engineer_id not in working or ctx.roster.busy_during(engineer_id, start, end):
        span = f"{_local(ctx, start)} to {_local(ctx, end)}"
        detail = f"engineer {engineer_id} is not qualified, on duty and free from {span}"
        return Refusal("engineer_on_shift", detail, None)
    return Slot(start, end, tuple(chosen), engineer_id)


#: Rules that no later start can pass once a start breaks them.
_FINAL = frozenset({"engineer_qualification", "maximum_advance", "instrument_in_service", "calibration"})


def _retry_at(ctx: SchedulingContext, rule: str, start: datetime, end: datetime) -> datetime | None:
    if rule in _FINAL:
        return None
    if rule == "downtime":
        return _downtime_over(ctx, start, end)
    if rule == "engineer_on_shift":
        return _engineer_free(ctx, start, end)
    if rule == "minimum_notice":
        return ctx.policy.earliest_start(ctx.now)
    if rule == "weekly_quota":
        return ctx.policy.week_bounds(ctx.policy.week_of(start))[1]
    return start  # a closed day or opening hours: the next start on the grid


def _downtime_over(ctx: SchedulingContext, start: datetime, end: datetime) -> datetime:
    """The earliest start by which every kind may have an instrument out of downtime again."""
    last_day = ctx.policy.lab_date(end)
    waits = []
    for group in ctx.instruments.values():
        ends = [
            ctx.downtime.in_the_way(i.id, start, end + timedelta(minutes=i.setup_buffer_min))
            for i in group
            if i.calibrated_through(last_day)
        ]
        if all(e is not None for e in ends):
            waits.append(min(e for e in ends if e is not None))
    return max(waits, default=start)


def _engineer_free(ctx: SchedulingContext, start: datetime, end: datetime) -> datetime:
    """When the first qualified engineer is free of other work, if every one is on duty but busy; otherwise the
    next start (an engineer off duty now may come on shift at any later start)."""
    working = ctx.roster.working(ctx.policy, start, end)
    if len(working) < len(ctx.roster.engineers):
        return start
    frees = [max(e for s, e in ctx.roster.busy.get(engineer.id, []) if s < end and start < e) for engineer in working]
    return min(frees, default=start)

"""Applying a proposal: every move in one transaction, each placement judged again by the scheduling rules.

The caller holds the lab's write transaction (``Database.writing``), as any booking does. A proposal is applied only
to the lab it was made for: if a booking in it changed since (moved, started, cancelled, its reservation released)
or the time it was to take is no longer free, nothing is written and :class:`~labsys.errors.Conflict` says which.
Old reservations are released before the new ones are held, so bookings may swap slots; the database's no-overlap
guarantee is the last word, as for any booking. Bookings the proposal could not place keep what they hold.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.bookings.models import Booking, booking_snapshot
from labsys.equipment.models import Instrument
from labsys.errors import Conflict
from labsys.methods.models import TestMethod
from labsys.planning.models import PlanProposal
from labsys.planning.reading import REPLANNED
from labsys.planning.schemas import PlanChange
from labsys.scheduling.context import read_context
from labsys.scheduling.models import ReleaseReason, Reservation
from labsys.scheduling.policy import SchedulingPolicy
from labsys.scheduling.reservations import hold, release
from labsys.scheduling.rules import Refusal, judge

__all__ = ["apply_plan"]

_STALE = "the lab changed since plan {plan} was made: make a new plan"


def apply_plan(
    session: Session, *, proposal: PlanProposal, policy: SchedulingPolicy, now: datetime, actor: Actor
) -> list[Booking]:
    """Apply ``proposal`` in the caller's write transaction; the bookings it placed, earliest first.

    Raises:
        Conflict: the proposal was applied already, a booking in it changed since it was made, or a placement is
            refused by a scheduling rule now (``rule``); nothing is written.
    """
    if proposal.applied_at is not None:
        raise Conflict(f"plan {proposal.id} was applied at {proposal.applied_at.isoformat()}", plan=proposal.id)
    changes = [PlanChange.model_validate(c) for c in proposal.body["changes"]]
    for change in changes:
        _ensure_unchanged(session, change, proposal.id or 0)
    placed = sorted(
        (c for c in changes if c.action in {"assigned", "moved"}), key=lambda c: (c.new_start, c.booking_id)
    )
    for change in placed:
        release(session, change.booking_id, reason=ReleaseReason.REPLANNED, at=now)
    bookings = [_place(session, change, proposal.id or 0, policy=policy, now=now, actor=actor) for change in placed]
    proposal.applied_at, proposal.applied_by_id = now, actor.id
    session.add(proposal)
    session.flush()
    record(
        session, actor=actor, action="plan.applied", entity_type="plan", entity_id=proposal.id,
        after={"moved": [c.booking_id for c in placed if c.action == "moved"],
               "assigned": [c.booking_id for c in placed if c.action == "assigned"]},
    )  # fmt: skip
    return bookings


def _ensure_unchanged(session: Session, change: PlanChange, plan_id: int) -> None:
    booking = session.get(Booking, change.booking_id)
    stale = _STALE.format(plan=plan_id)
    if booking is None or booking.status not in REPLANNED:
        status = "gone" if booking is None else booking.status.value
        raise Conflict(f"booking {change.booking_id} is {status} now; {stale}", booking=change.booking_id)
    held = session.exec(
        select(Reservation.starts_at, Instrument.asset_tag, Reservation.engineer_id)
        .join(Instrument, col(Instrument.id) == col(Reservation.instrument_id))
        .where(Reservation.booking_id == change.booking_id, col(Reservation.active))
    ).all()
    now_held = (
        min((start for start, _, _ in held), default=None),
        sorted(tag for _, tag, _ in held),
        held[0][2] if held else None,
    )
    planned_from = (change.old_start, sorted(change.old_instruments), change.old_engineer_id)
    if booking.updated_at != change.booking_updated_at or now_held != planned_from:
        raise Conflict(f"booking {change.booking_id} was changed or moved; {stale}", booking=change.booking_id)


def _place(
    session: Session, change: PlanChange, plan_id: int, *, policy: SchedulingPolicy, now: datetime, actor: Actor
) -> Booking:
    """Judge the placement by the scheduling rules, hold it, and move the booking there (audited)."""
    booking = session.get(Booking, change.booking_id)
    assert booking is not None  # noqa: S101 - checked unchanged above
    assert change.new_start is not None  # noqa: S101 - a placed change has its start and engineer
    assert change.engineer_id is not None  # noqa: S101
    method = session.get(TestMethod, booking.method_id)
    assert method is not None  # noqa: S101 - a foreign key
    start = change.new_start
    ctx = read_context(
        session, method=method, policy=policy, now=now, since=start, until=start + timedelta(minutes=1), quota=None,
        ignore_booking_id=booking.id,
    )  # fmt: skip
    slot = judge(ctx, start, tuple(change.instrument_ids), change.engineer_id)
    if isinstance(slot, Refusal):
        detail = f"booking {booking.id} cannot go to {start.isoformat()}: {slot.detail}; {_STALE.format(plan=plan_id)}"
        raise Conflict(detail, rule=slot.rule, booking=booking.id)
    before = booking_snapshot(booking)
    hold(session, booking.id or 0, slot)
    booking.starts_at, booking.ends_at, booking.updated_at = slot.start, slot.end, now
    booking.no_show_at = None
    session.add(booking)
    session.flush()
    record(
        session, actor=actor, action="booking.planned", entity_type="booking", entity_id=booking.id,
        before=before, after={**booking_snapshot(booking), "plan": plan_id},
    )  # fmt: skip
    return booking

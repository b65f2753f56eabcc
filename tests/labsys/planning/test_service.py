"""The planner on the lab's database: it reads the waiting work, re-places what downtime displaces, and a lab manager
applies its proposal in one transaction, refused whole when the lab changed since."""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
import pytest
from sqlmodel import Session, col, select

from labsys.audit import Actor
from labsys.audit.models import AuditEvent
from labsys.bookings.calendar_feed import bookings_calendar
from labsys.bookings.models import Booking, BookingStatus
from labsys.db import Database
from labsys.errors import Conflict
from labsys.planning.schemas import PlanCreate, PlanPublic
from labsys.planning.service import PlanningService
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import Downtime, DowntimeKind, ReleaseReason, Reservation
from labsys.settings import Settings
from tests.factories import Lab, make_instrument
from tests.labsys.planning.lab import NOW, WEEK, kst, waiting_booking

pytestmark = pytest.mark.integration

ADMIN = Actor("admin@lab.example.com", None)


@pytest.fixture
def planner(db: Database, policy: SchedulingPolicy) -> PlanningService:
    return PlanningService(db, policy, clock=lambda: NOW, workers=1)


@pytest.fixture
def policy(settings: Settings) -> SchedulingPolicy:
    return SchedulingPolicy.from_settings(settings)


def _propose(planner: PlanningService) -> PlanPublic:
    return planner.propose(PlanCreate(week=WEEK, time_limit_s=5), by=ADMIN)


def _held(session: Session, booking_id: int | None) -> list[tuple[object, int]]:
    session.expire_all()
    rows = session.exec(
        select(Reservation.starts_at, Reservation.instrument_id).where(
            Reservation.booking_id == booking_id, col(Reservation.active)
        )
    ).all()
    return sorted(rows)


def _down(session: Session, instrument_id: int | None, start: datetime, end: datetime) -> None:
    session.add(
        Downtime(instrument_id=instrument_id or 0, kind=DowntimeKind.REPAIR, starts_at=start, ends_at=end, reason="x")
    )
    session.commit()


def test_a_downtime_block_over_booked_work_moves_every_displaced_booking_or_says_why_it_cannot(
    session: Session, lab: Lab, planner: PlanningService
) -> None:
    smu, lcr = lab.instruments["SMU-01"], lab.instruments["LCR-01"]
    spare = make_instrument(session, "smu", "SMU-02")
    diode = waiting_booking(
        session, method=lab.methods["DIODE-IV"], customer=lab.customer, start=kst(2, 10), instruments=[smu],
        engineer=lab.engineer,
    )  # fmt: skip
    cap = waiting_booking(
        session, method=lab.methods["CAP-CD"], customer=lab.customer, start=kst(2, 14), instruments=[lcr],
        engineer=lab.engineer,
    )  # fmt: skip
    _down(session, smu.id, kst(2, 9), kst(2, 18))
    _down(session, lcr.id, kst(1, 0), kst(8, 0))  # the only LCR meter, all week

    plan = _propose(planner)

    by_id = {c.booking_id: c for c in plan.changes}
    moved = by_id[diode.id or 0]
    assert moved.action == "moved"
    assert moved.old_start == kst(2, 10)
    assert moved.new_start is not None
    # Out of the repair: on the spare SMU, or on SMU-01 once the repair is over.
    assert moved.instruments == [spare.asset_tag] or moved.new_start >= kst(2, 18)
    unplaceable = by_id[cap.id or 0]
    assert unplaceable.action == "unplaceable"
    assert unplaceable.reason is not None
    assert "lcr" in unplaceable.reason


def test_applying_a_plan_moves_bookings_in_one_transaction_audits_and_the_calendar_shows_the_new_time(
    session: Session, lab: Lab, planner: PlanningService, policy: SchedulingPolicy
) -> None:
    smu = lab.instruments["SMU-01"]
    late = waiting_booking(
        session, method=lab.methods["DIODE-IV"], customer=lab.customer, start=kst(4, 15), instruments=[smu],
        engineer=lab.engineer,
    )  # fmt: skip
    unplaced = waiting_booking(session, method=lab.methods["DIODE-IV"], customer=lab.customer)

    plan = _propose(planner)
    by_id = {c.booking_id: c for c in plan.changes}
    assert by_id[late.id or 0].action == "moved"  # earlier is better: Tuesday 09:00 is free
    assert by_id[unplaced.id or 0].action == "assigned"
    applied = planner.apply(plan.id, by=ADMIN)

    assert applied.applied_at == NOW
    for booking_id in (late.id, unplaced.id):
        change = by_id[booking_id or 0]
        assert _held(session, booking_id) == [(change.new_start, smu.id)]
        booking = session.get(Booking, booking_id)
        assert booking is not None
        assert booking.starts_at == change.new_start
    actions = session.exec(select(AuditEvent.action, AuditEvent.entity_id)).all()
    assert ("booking.planned", str(late.id)) in actions
    assert ("booking.planned", str(unplaced.id)) in actions
    assert ("plan.applied", str(plan.id)) in actions
    released = session.exec(select(Reservation).where(Reservation.booking_id == late.id, ~col(Reservation.active)))
    assert [(r.starts_at, r.release_reason, r.released_at) for r in released] == [
        (kst(4, 15), ReleaseReason.REPLANNED, NOW)
    ]
    feed = icalendar.Calendar.from_ical(
        bookings_calendar(
            session=session, company_id=lab.company.id, policy=policy, lab_name="Lab", host="lab.test", now=NOW
        )
    )
    event = next(e for e in feed.walk("VEVENT") if e["uid"] == f"booking-{late.id}@lab.test")
    assert event.decoded("dtstart") == by_id[late.id or 0].new_start
    assert event["sequence"] == 1


def test_a_stale_plan_is_refused_with_the_booking_that_changed_and_nothing_changes(
    session: Session, lab: Lab, planner: PlanningService
) -> None:
    smu = lab.instruments["SMU-01"]
    first = waiting_booking(
        session, method=lab.methods["DIODE-IV"], customer=lab.customer, start=kst(4, 15), instruments=[smu],
        engineer=lab.engineer,
    )  # fmt: skip
    second = waiting_booking(session, method=lab.methods["DIODE-IV"], customer=lab.customer)
    plan = _propose(planner)
    before = _held(session, first.id)
    changed = session.get(Booking, second.id)
    assert changed is not None
    changed.status, changed.updated_at = BookingStatus.CANCELLED, NOW + timedelta(minutes=5)
    session.add(changed)
    session.commit()

    with pytest.raises(Conflict) as refused:
        planner.apply(plan.id, by=ADMIN)

    assert f"booking {second.id}" in refused.value.detail
    assert "make a new plan" in refused.value.detail
    assert _held(session, first.id) == before
    assert _held(session, second.id) == []
    assert planner.get(plan.id).applied_at is None
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "booking.planned")).all() == []


def test_a_plan_is_applied_once(session: Session, lab: Lab, planner: PlanningService) -> None:
    waiting_booking(session, method=lab.methods["DIODE-IV"], customer=lab.customer)
    plan = _propose(planner)
    planner.apply(plan.id, by=ADMIN)
    with pytest.raises(Conflict, match="was applied"):
        planner.apply(plan.id, by=ADMIN)


def test_a_slot_taken_since_the_plan_was_made_refuses_the_plan(
    session: Session, lab: Lab, planner: PlanningService
) -> None:
    waiting = waiting_booking(session, method=lab.methods["DIODE-IV"], customer=lab.customer)
    plan = _propose(planner)
    change = next(c for c in plan.changes if c.booking_id == waiting.id)
    assert change.new_start is not None
    waiting_booking(  # someone books that very slot before the plan is applied
        session, method=lab.methods["DIODE-IV"], customer=lab.other_customer, start=change.new_start,
        instruments=[lab.instruments["SMU-01"]], engineer=lab.engineer, received_at=None,
    )  # fmt: skip
    with pytest.raises(Conflict) as refused:
        planner.apply(plan.id, by=ADMIN)
    assert refused.value.extra.get("rule") in {"slot_taken", "engineer_on_shift"}
    assert _held(session, waiting.id) == []


def test_a_booking_holding_a_slot_after_the_week_is_left_alone(
    session: Session, lab: Lab, planner: PlanningService
) -> None:
    later = waiting_booking(
        session, method=lab.methods["DIODE-IV"], customer=lab.customer, start=kst(15, 10),
        instruments=[lab.instruments["SMU-01"]], engineer=lab.engineer,
    )  # fmt: skip
    waiting = waiting_booking(session, method=lab.methods["DIODE-IV"], customer=lab.customer)

    plan = _propose(planner)

    assert [c.booking_id for c in plan.changes] == [waiting.id]
    planner.apply(plan.id, by=ADMIN)
    assert _held(session, later.id) == [(kst(15, 10), lab.instruments["SMU-01"].id)]

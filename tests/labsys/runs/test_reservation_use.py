"""Reservations follow real use: they end with the booking's last run, and a run before its slot needs an override."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from labsys.audit import AuditEvent
from labsys.errors import Conflict
from labsys.runs.models import RunStatus
from labsys.scheduling import SchedulingPolicy, find_slots
from labsys.scheduling.models import Reservation
from labsys.settings import Settings
from tests.factories import Lab
from tests.labsys.runs.real_use import booked_and_received, queue, reservation_of, run_to_end
from tests.labsys.scheduling.support import NOW, kst, quota_of

pytestmark = pytest.mark.integration

#: Wednesday 2 December 2026, 10:00-11:00 in Seoul; the SMU's setup buffer is 15 minutes.
SLOT = kst(2026, 12, 2, 10)


@pytest.fixture
def policy(settings: Settings) -> SchedulingPolicy:
    return SchedulingPolicy.from_settings(settings)


def _starts_offered(session: Session, lab: Lab, policy: SchedulingPolicy) -> set[object]:
    slots = find_slots(
        session=session,
        method=lab.methods["DIODE-IV"],
        policy=policy,
        now=NOW,
        start=kst(2026, 12, 2, 0),
        end=kst(2026, 12, 3, 0),
        quota=quota_of(session, lab.other_customer, policy),
    )
    return {s.start for s in slots}


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))))


def test_a_booking_whose_run_ended_no_longer_blocks_the_rest_of_its_slot(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking, (sample,) = booked_and_received(session, lab, SLOT, policy)
    assert kst(2026, 12, 2, 11) not in _starts_offered(session, lab, policy)  # 10:00-11:00, blocked until 11:15
    queue(session, lab, sample, now=SLOT + timedelta(minutes=2))
    run_to_end(session, RunStatus.COMPLETED, ended_at=SLOT + timedelta(minutes=20))

    reservation = reservation_of(session, booking)
    assert reservation.active
    assert reservation.ends_at == SLOT + timedelta(minutes=20)
    assert reservation.blocked_until == SLOT + timedelta(minutes=35)  # its end plus the setup buffer
    assert reservation.booked_ends_at == SLOT + timedelta(hours=1)  # what was booked, for utilisation
    assert reservation.actual_end == SLOT + timedelta(minutes=20)
    offered = _starts_offered(session, lab, policy)
    assert kst(2026, 12, 2, 11) in offered  # the rest of the slot is free to others
    assert kst(2026, 12, 2, 10, 30) not in offered  # but not the setup buffer after the run
    (ended,) = _events(session, "reservation.ended")
    assert ended.entity_id == str(reservation.id)
    assert ended.before is not None
    assert ended.before["ends_at"].startswith("2026-12-02T02:00")  # 11:00 in Seoul


def test_three_samples_keep_the_slot_until_the_last_run_ends(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking, samples = booked_and_received(session, lab, SLOT, policy, samples=3)
    for n, sample in enumerate(samples, 1):
        queue(session, lab, sample, now=SLOT + timedelta(minutes=10 * n))
        run_to_end(session, RunStatus.COMPLETED, ended_at=SLOT + timedelta(minutes=10 * n + 5))
        reservation = reservation_of(session, booking)
        if n < len(samples):
            assert reservation.ends_at == SLOT + timedelta(hours=1), f"the slot ended after run {n} of 3"
    assert reservation.ends_at == SLOT + timedelta(minutes=35)
    assert reservation.blocked_until == SLOT + timedelta(minutes=50)


def test_a_failed_run_keeps_the_slot_for_its_rerun(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    booking, (sample,) = booked_and_received(session, lab, SLOT, policy)
    queue(session, lab, sample, now=SLOT)
    run_to_end(session, RunStatus.FAILED, ended_at=SLOT + timedelta(minutes=5))
    assert reservation_of(session, booking).ends_at == SLOT + timedelta(hours=1)
    assert _events(session, "reservation.ended") == []

    queue(session, lab, sample, now=SLOT + timedelta(minutes=10))
    run_to_end(session, RunStatus.COMPLETED, ended_at=SLOT + timedelta(minutes=30))
    assert reservation_of(session, booking).ends_at == SLOT + timedelta(minutes=30)


def test_a_run_taking_longer_than_its_slot_never_grows_the_reservation(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking, (sample,) = booked_and_received(session, lab, SLOT, policy)
    queue(session, lab, sample, now=SLOT)
    run_to_end(session, RunStatus.COMPLETED, ended_at=SLOT + timedelta(minutes=70))
    reservation = reservation_of(session, booking)
    assert (reservation.ends_at, reservation.blocked_until) == (SLOT + timedelta(hours=1), SLOT + timedelta(minutes=75))


def test_a_run_before_its_slot_is_refused_then_queued_with_an_override_kept_in_the_audit_trail(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    _, (sample,) = booked_and_received(session, lab, SLOT, policy)
    with pytest.raises(Conflict) as refused:
        queue(session, lab, sample, now=SLOT - timedelta(hours=1))
    session.rollback()
    assert "2026-12-02 10:00" in refused.value.detail  # the slot, in the lab's zone
    assert '"early"' in refused.value.detail
    assert refused.value.extra["slot_starts_at"] == SLOT.isoformat()

    run = queue(session, lab, sample, now=SLOT - timedelta(hours=1), early="the customer is here with the sample")
    (queued,) = _events(session, "run.queued")
    assert queued.entity_id == str(run.id)
    assert queued.after is not None
    assert queued.after["early"] == {"reason": "the customer is here with the sample"}


def test_a_run_finished_before_its_slot_frees_the_whole_slot(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking, (sample,) = booked_and_received(session, lab, SLOT, policy)
    queue(session, lab, sample, now=SLOT - timedelta(hours=2), early="an urgent request, the SMU was idle")
    run_to_end(session, RunStatus.COMPLETED, ended_at=SLOT - timedelta(hours=1))
    reservation = session.exec(select(Reservation).where(Reservation.booking_id == booking.id)).one()
    assert reservation.ends_at == reservation.blocked_until == SLOT  # holds nothing
    assert SLOT in _starts_offered(session, lab, policy)

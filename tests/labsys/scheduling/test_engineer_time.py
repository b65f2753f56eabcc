"""Engineers' time and instruments' downtime in the schedule: availability offers only slots a qualified engineer
on shift, off leave and free can work on an instrument out of downtime, and the booking records that engineer."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlmodel import Session, col, select

from labsys.audit import Actor
from labsys.bookings import steps
from labsys.scheduling import SchedulingPolicy, find_slots, first_slot
from labsys.scheduling.models import Downtime, DowntimeKind, EngineerLeave, EngineerShift, Reservation
from labsys.scheduling.rules import Slot
from tests.factories import Lab, another_engineer, make_instrument
from tests.labsys.scheduling.support import NOW, book, kst, quota_of

pytestmark = pytest.mark.integration

#: Wednesday 2 December 2026 (weekday 2).
WEDNESDAY = 2


def _slots(session: Session, lab: Lab, policy: SchedulingPolicy, code: str = "DIODE-IV") -> list[Slot]:
    return find_slots(
        session=session, method=lab.methods[code], policy=policy, now=NOW, start=kst(2026, 12, 2, 0),
        end=kst(2026, 12, 3, 0), quota=quota_of(session, lab.customer, policy),
    )  # fmt: skip


def _engineers_of(session: Session, booking_id: int | None) -> set[int | None]:
    query = select(Reservation.engineer_id).where(Reservation.booking_id == booking_id, col(Reservation.active))
    return set(session.exec(query).all())


def test_an_engineer_with_no_shifts_works_the_labs_opening_hours(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    starts = [s.start for s in _slots(session, lab, policy)]
    assert (starts[0], starts[-1]) == (kst(2026, 12, 2, 9), kst(2026, 12, 2, 17))
    assert {s.engineer_id for s in _slots(session, lab, policy)} == {lab.engineer.id}


def test_availability_offers_only_the_engineers_shift(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    shift = EngineerShift(engineer_id=lab.engineer.id or 0, weekday=WEDNESDAY, starts_at=time(13), ends_at=time(16))
    session.add(shift)
    session.commit()
    starts = [s.start for s in _slots(session, lab, policy)]
    assert starts == [kst(2026, 12, 2, 13) + timedelta(minutes=30 * n) for n in range(5)]


def test_availability_offers_nothing_on_the_engineers_leave(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    days = {"first_day": date(2026, 12, 1), "last_day": date(2026, 12, 2)}
    session.add(EngineerLeave(engineer_id=lab.engineer.id or 0, reason="training", **days))
    session.commit()
    assert _slots(session, lab, policy) == []
    another_engineer(session, lab)
    assert len(_slots(session, lab, policy)) == 17  # a colleague covers the day


def test_availability_skips_the_hours_the_engineer_works_on_another_booking(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    book(session, lab, kst(2026, 12, 2, 10), policy=policy, code="STEP-RISE", customer=lab.other_customer)
    starts = {s.start for s in _slots(session, lab, policy)}
    # A DIODE-IV hour overlapping the engineer's 10:00-10:45 STEP-RISE work is not offered on the free SMU.
    assert not starts & {kst(2026, 12, 2, 9, 30), kst(2026, 12, 2, 10), kst(2026, 12, 2, 10, 30)}
    assert {kst(2026, 12, 2, 9), kst(2026, 12, 2, 11)} <= starts


def test_availability_offers_no_slot_on_an_instrument_in_downtime_but_offers_another(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    maintenance = Downtime(
        instrument_id=lab.instruments["SMU-01"].id or 0, kind=DowntimeKind.MAINTENANCE,
        starts_at=kst(2026, 12, 2, 9), ends_at=kst(2026, 12, 2, 12), reason="yearly service",
    )  # fmt: skip
    session.add(maintenance)
    session.commit()
    # The only SMU is down until noon.
    assert _slots(session, lab, policy)[0].start == kst(2026, 12, 2, 12)
    make_instrument(session, "smu", "SMU-02")
    morning = _slots(session, lab, policy)[0]
    assert (morning.start, [i.asset_tag for i in morning.instruments]) == (kst(2026, 12, 2, 9), ["SMU-02"])


def test_each_booking_records_its_engineer_the_first_free_by_id(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    colleague = another_engineer(session, lab)
    first = book(session, lab, kst(2026, 12, 2, 10), policy=policy, code="RES-4W-TCR")
    second = book(session, lab, kst(2026, 12, 2, 10), policy=policy, customer=lab.other_customer)
    assert _engineers_of(session, first.id) == {lab.engineer.id}
    assert _engineers_of(session, second.id) == {colleague.id}


def test_a_colleague_coming_on_shift_is_offered_while_the_first_engineer_is_still_busy(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    colleague = another_engineer(session, lab)
    late = EngineerShift(engineer_id=colleague.id or 0, weekday=WEDNESDAY, starts_at=time(10, 30), ends_at=time(18))
    session.add(late)
    session.commit()
    book(session, lab, kst(2026, 12, 2, 9, 30), policy=policy, code="RES-4W-TCR")  # the first engineer until 11:00
    found = first_slot(
        session=session, method=lab.methods["DIODE-IV"], policy=policy, now=NOW, after=kst(2026, 12, 2, 9, 30),
        quota=quota_of(session, lab.customer, policy),
    )  # fmt: skip
    assert found is not None
    assert (found.start, found.engineer_id) == (kst(2026, 12, 2, 10, 30), colleague.id)


def test_a_reschedule_gives_the_work_to_the_engineer_free_at_the_new_start(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    colleague = another_engineer(session, lab)
    booking = book(session, lab, kst(2026, 12, 2, 14), policy=policy)
    book(session, lab, kst(2026, 12, 3, 10), policy=policy, code="RES-4W-TCR", customer=lab.other_customer)
    steps.reschedule_booking(
        session=session, booking_id=booking.id or 0, start=kst(2026, 12, 3, 10), company_id=lab.company.id,
        actor=Actor(lab.customer.email, lab.customer.id), policy=policy, now=NOW,
    )  # fmt: skip
    session.commit()
    assert _engineers_of(session, booking.id) == {colleague.id}

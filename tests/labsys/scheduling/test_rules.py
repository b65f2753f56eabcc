"""Every scheduling rule refuses a new booking and a reschedule alike, naming itself and the next slot that works."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pytest
from sqlmodel import Session

from labsys.audit import Actor
from labsys.bookings import steps
from labsys.companies.models import User
from labsys.equipment.models import InstrumentStatus
from labsys.errors import RuleViolation
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import Downtime, DowntimeKind, EngineerLeave, EngineerShift
from labsys.settings import Settings, load_settings
from tests.factories import Lab
from tests.labsys.scheduling.support import NOW, book, kst

pytestmark = pytest.mark.integration

#: A good slot for the booking that the reschedule cases then try to move.
GOOD_START = kst(2026, 12, 3, 14)


def _nothing(_session: Session, _lab: Lab, _policy: SchedulingPolicy) -> None:
    return None


def _smu_in_maintenance(session: Session, lab: Lab, _policy: SchedulingPolicy) -> None:
    smu = lab.instruments["SMU-01"]
    smu.status = InstrumentStatus.MAINTENANCE
    session.add(smu)
    session.commit()


def _smu_calibration_lapses(session: Session, lab: Lab, _policy: SchedulingPolicy) -> None:
    smu = lab.instruments["SMU-01"]
    smu.calibration_due = date(2026, 12, 7)
    session.add(smu)
    session.commit()


def _no_qualified_engineer(session: Session, lab: Lab, _policy: SchedulingPolicy) -> None:
    engineer = lab.engineer
    engineer.qualifications = ["dmm"]
    session.add(engineer)
    session.commit()


def _two_bookings_in_week_of_december_7(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    book(session, lab, kst(2026, 12, 7, 10), policy=policy)
    book(session, lab, kst(2026, 12, 8, 10), policy=policy)


def _other_company_holds_the_slot(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    book(session, lab, kst(2026, 12, 9, 10), policy=policy, customer=lab.other_customer)


def _engineer_works_wednesday_afternoons(session: Session, lab: Lab, _policy: SchedulingPolicy) -> None:
    session.add(EngineerShift(engineer_id=lab.engineer.id or 0, weekday=2, starts_at=time(13), ends_at=time(18)))
    session.add(EngineerShift(engineer_id=lab.engineer.id or 0, weekday=3, starts_at=time(9), ends_at=time(18)))
    session.commit()


def _engineer_on_leave_december_9_and_10(session: Session, lab: Lab, _policy: SchedulingPolicy) -> None:
    days_off = EngineerLeave(
        engineer_id=lab.engineer.id or 0, first_day=date(2026, 12, 9), last_day=date(2026, 12, 10), reason="annual"
    )
    session.add(days_off)
    session.commit()


def _engineer_busy_on_another_booking(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    book(session, lab, kst(2026, 12, 9, 10), policy=policy, code="STEP-RISE", customer=lab.other_customer)


def _smu_repaired_on_december_9_morning(session: Session, lab: Lab, _policy: SchedulingPolicy) -> None:
    repair = Downtime(
        instrument_id=lab.instruments["SMU-01"].id or 0,
        kind=DowntimeKind.REPAIR,
        starts_at=kst(2026, 12, 9, 9),
        ends_at=kst(2026, 12, 9, 12),
        reason="replace the output relay",
    )
    session.add(repair)
    session.commit()


@dataclass(frozen=True)
class Case:
    rule: str
    bad_start: datetime
    prepare: Callable[[Session, Lab, SchedulingPolicy], None] = _nothing
    next_slot: datetime | None = None
    settings: dict[str, object] = field(default_factory=dict)


CASES = {
    "a Saturday": Case("closed_day", kst(2026, 12, 5, 10), next_slot=kst(2026, 12, 7, 9)),
    "Christmas Day, a public holiday": Case("closed_day", kst(2026, 12, 25, 10), next_slot=kst(2026, 12, 28, 9)),
    "a closure the lab configured": Case(
        "closed_day",
        kst(2026, 12, 9, 10),
        settings={"extra_closed_dates": {date(2026, 12, 9)}},
        next_slot=kst(2026, 12, 10, 9),
    ),
    "work running past closing time": Case("opening_hours", kst(2026, 12, 9, 17, 30), next_slot=kst(2026, 12, 10, 9)),
    "a start before opening": Case("opening_hours", kst(2026, 12, 9, 8), next_slot=kst(2026, 12, 9, 9)),
    "less than a day's notice": Case("minimum_notice", kst(2026, 11, 30, 15), next_slot=kst(2026, 12, 1, 9)),
    "more than 90 days ahead": Case("maximum_advance", kst(2027, 3, 10, 10), next_slot=kst(2026, 12, 1, 9)),
    "the company's weekly quota": Case(
        "weekly_quota",
        kst(2026, 12, 9, 10),
        _two_bookings_in_week_of_december_7,
        settings={"booking_weekly_quota": 2},
        next_slot=kst(2026, 12, 14, 9),
    ),
    "the only SMU in maintenance": Case("instrument_in_service", kst(2026, 12, 9, 10), _smu_in_maintenance),
    "the SMU's calibration lapsing": Case("calibration", kst(2026, 12, 9, 10), _smu_calibration_lapses),
    "no engineer qualified for the SMU": Case("engineer_qualification", kst(2026, 12, 9, 10), _no_qualified_engineer),
    "the only engineer off shift": Case(
        "engineer_on_shift",
        kst(2026, 12, 9, 10),
        _engineer_works_wednesday_afternoons,
        next_slot=kst(2026, 12, 9, 13),
    ),
    "the only engineer on leave": Case(
        "engineer_on_shift",
        kst(2026, 12, 9, 10),
        _engineer_on_leave_december_9_and_10,
        next_slot=kst(2026, 12, 11, 9),
    ),
    "the only engineer busy on another booking": Case(
        "engineer_on_shift",
        kst(2026, 12, 9, 10),
        _engineer_busy_on_another_booking,
        next_slot=kst(2026, 12, 9, 11),
    ),
    "the only SMU in downtime for a repair": Case(
        "downtime", kst(2026, 12, 9, 10), _smu_repaired_on_december_9_morning, next_slot=kst(2026, 12, 9, 12)
    ),
    "another company's booking": Case(
        "slot_taken", kst(2026, 12, 9, 10), _other_company_holds_the_slot, next_slot=kst(2026, 12, 9, 11, 30)
    ),
}


def _policy(settings: Settings, case: Case) -> SchedulingPolicy:
    if not case.settings:
        return SchedulingPolicy.from_settings(settings)
    return SchedulingPolicy.from_settings(
        load_settings(data_dir=settings.data_dir, database_url=settings.database_url, **case.settings)
    )


def _assert_refused(error: RuleViolation, case: Case) -> None:
    assert error.rule == case.rule
    assert error.detail.startswith(f"{case.rule}: ")
    expected = case.next_slot.isoformat() if case.next_slot else None
    assert error.extra["next_slot"] == expected


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_new_booking_that_breaks_a_rule_is_refused_naming_the_rule_and_the_next_slot(
    session: Session, lab: Lab, settings: Settings, case: Case
) -> None:
    policy = _policy(settings, case)
    case.prepare(session, lab, policy)
    with pytest.raises(RuleViolation) as refused:
        book(session, lab, case.bad_start, policy=policy)
    _assert_refused(refused.value, case)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_reschedule_that_breaks_a_rule_is_refused_and_the_booking_keeps_its_slot(
    session: Session, lab: Lab, settings: Settings, case: Case
) -> None:
    policy = _policy(settings, case)
    booking = book(session, lab, GOOD_START, policy=policy)
    case.prepare(session, lab, policy)
    customer: User = lab.customer
    with pytest.raises(RuleViolation) as refused:
        steps.reschedule_booking(
            session=session,
            booking_id=booking.id or 0,
            start=case.bad_start,
            company_id=customer.company_id,
            actor=Actor(customer.email, customer.id),
            policy=policy,
            now=NOW,
        )
    session.rollback()
    _assert_refused(refused.value, case)
    session.refresh(booking)
    assert booking.starts_at == GOOD_START


def test_a_booking_exactly_at_the_minimum_notice_and_ending_at_closing_time_is_accepted(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    first = book(session, lab, kst(2026, 12, 1, 9), policy=policy)
    last = book(session, lab, kst(2026, 12, 1, 17), policy=policy)
    assert (first.starts_at, last.ends_at) == (kst(2026, 12, 1, 9), kst(2026, 12, 1, 18))


def test_a_reschedule_may_overlap_the_bookings_own_old_slot(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking = book(session, lab, kst(2026, 12, 2, 10), policy=policy)
    moved = steps.reschedule_booking(
        session=session,
        booking_id=booking.id or 0,
        start=kst(2026, 12, 2, 10, 30),
        company_id=lab.company.id,
        actor=Actor(lab.customer.email, lab.customer.id),
        policy=policy,
        now=NOW,
    )
    session.commit()
    assert moved.starts_at == kst(2026, 12, 2, 10, 30)

"""The demo lab's staff: three engineers with their own hours, so that tests on different instruments run side by
side."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from instruments.sim import SimulatedBench
from labsys.audit import Actor
from labsys.bookings import creation
from labsys.bookings.models import Booking
from labsys.companies.models import Role, User
from labsys.demo import seed_demo
from labsys.demo.equipment import simulated_equipment
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import EngineerShift, Reservation
from labsys.settings import Settings
from tests.labsys.scheduling.support import NOW, booking_in, kst

pytestmark = pytest.mark.integration


@pytest.fixture
def demo(session: Session) -> Session:
    """A database seeded with the demo lab, its equipment calibrated as of the test's clock."""
    with SimulatedBench.from_yaml(base_port=0) as bench:
        seed_demo(session, simulated_equipment(bench, station="bench-1", today=date(2026, 11, 30)))
        session.commit()
    return session


def _book(session: Session, email: str, code: str, policy: SchedulingPolicy) -> set[int | None]:
    customer = session.exec(select(User).where(User.email == email)).one()
    booked = creation.create_booking(
        session=session,
        booking_in=booking_in(kst(2026, 12, 2, 10), code=code),
        company_id=customer.company_id or 0,
        requested_by_id=customer.id or 0,
        actor=Actor(customer.email, customer.id),
        policy=policy,
        now=NOW,
    )
    session.commit()
    assert session.get(Booking, booked.id) is not None
    query = select(Reservation.engineer_id).where(Reservation.booking_id == booked.id, col(Reservation.active))
    return set(session.exec(query).all())


def test_the_demo_lab_has_three_engineers_two_of_them_on_shifts(demo: Session) -> None:
    engineers = demo.exec(select(User).where(User.role == Role.ENGINEER).order_by(col(User.id))).all()
    shifts = {
        e.email: demo.exec(select(EngineerShift).where(EngineerShift.engineer_id == e.id)).all() for e in engineers
    }

    assert [e.email for e in engineers] == [
        "engineer@lab.example.com",
        "seoyeon.han@lab.example.com",
        "taemin.yoon@lab.example.com",
    ]
    assert shifts["engineer@lab.example.com"] == []  # the lab's opening hours
    assert sorted(s.weekday for s in shifts["seoyeon.han@lab.example.com"]) == [0, 1, 2, 3]
    assert {(s.starts_at.hour, s.ends_at.hour) for s in shifts["taemin.yoon@lab.example.com"]} == {(9, 13)}


def test_two_customers_book_the_same_hour_on_different_instruments_with_different_engineers(
    demo: Session, settings: Settings
) -> None:
    policy = SchedulingPolicy.from_settings(settings)
    first = _book(demo, "minjun.kim@hanbit.example.com", "DIODE-IV", policy)
    second = _book(demo, "seoyeon.lee@daehan.example.com", "CAP-CD", policy)

    assert len(first) == len(second) == 1
    assert first != second

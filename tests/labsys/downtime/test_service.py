"""The downtime service: which bookings a block displaces, asked again after the lab has moved on."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from labsys.audit import Actor
from labsys.bookings import steps
from labsys.db import Database
from labsys.downtime import DowntimeService
from labsys.downtime.schemas import DowntimeCreate
from labsys.errors import NotFound
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import DowntimeKind
from labsys.settings import Settings
from tests.factories import Lab
from tests.labsys.scheduling.support import book, kst

pytestmark = pytest.mark.integration


@pytest.fixture
def policy(settings: Settings) -> SchedulingPolicy:
    """The lab's default policy (09:00-18:00 Seoul, weekdays)."""
    return SchedulingPolicy.from_settings(settings)


def _block(service: DowntimeService, lab: Lab, asset_tag: str = "SMU-01") -> int:
    block = DowntimeCreate(
        kind=DowntimeKind.REPAIR, starts_at=kst(2026, 12, 2, 9), ends_at=kst(2026, 12, 2, 17), reason="relay"
    )
    added = service.add(asset_tag, block, by=Actor(lab.admin.email, lab.admin.id))
    return added.downtime.id


def test_a_block_displaces_the_bookings_still_in_it_and_not_one_cancelled_since(
    session: Session, db: Database, lab: Lab, policy: SchedulingPolicy
) -> None:
    morning = book(session, lab, kst(2026, 12, 2, 10), policy=policy)
    afternoon = book(session, lab, kst(2026, 12, 2, 14), policy=policy)
    service = DowntimeService(db)
    block = _block(service, lab)
    assert [d.booking_id for d in service.displaced("SMU-01", block)] == [morning.id, afternoon.id]

    steps.cancel_booking(
        session=session, booking_id=morning.id or 0, company_id=None, actor=Actor(lab.admin.email, lab.admin.id)
    )
    session.commit()

    [still] = service.displaced("SMU-01", block)
    assert (still.booking_id, still.company, still.starts_at) == (afternoon.id, lab.company.name, kst(2026, 12, 2, 14))


def test_a_block_asked_of_another_instrument_is_not_found(db: Database, lab: Lab) -> None:
    service = DowntimeService(db)
    block = _block(service, lab)

    with pytest.raises(NotFound):
        service.displaced("DMM-01", block)

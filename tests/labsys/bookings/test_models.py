"""What a customer sets on a booking is stored, shown and audited as it is, field by field, whatever the fields.

The test walks ``BookingBase`` rather than naming its fields: a field added there is covered without a change.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
from pydantic.fields import FieldInfo
from sqlmodel import Session, select

from labsys.audit import Actor, AuditEvent, snapshot
from labsys.bookings import creation
from labsys.bookings.models import Booking, BookingBase, BookingCreate, BookingPublic
from labsys.bookings.views import public_booking
from labsys.scheduling import SchedulingPolicy
from tests.factories import Lab
from tests.labsys.scheduling.support import NOW, kst

pytestmark = pytest.mark.integration


def _set_by_a_customer(field: FieldInfo) -> Any:
    """A value other than the field's default, as a customer might send it."""
    kind = field.annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        return next(member for member in kind if member != field.default)
    if kind is str:
        return "납품 전 확인 요청: 시험 결과를 먼저 메일로 보내 주세요"[
            : field.metadata[0].max_length if field.metadata else None
        ]
    if kind is int:
        return 7
    if kind is bool:
        return not field.default
    raise AssertionError(f"no customer value for a field of type {kind}: extend this test's values")


def test_every_field_a_customer_sets_on_a_booking_reaches_the_table_its_view_and_the_audit_trail(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    chosen = {name: _set_by_a_customer(field) for name, field in BookingBase.model_fields.items()}
    request = BookingCreate.model_validate(
        {"method": "DIODE-IV", "samples": [{"label": "S-1"}], "start": kst(2026, 12, 2, 10), **chosen}
    )
    booking = creation.create_booking(
        session=session, booking_in=request, company_id=lab.company.id or 0, requested_by_id=lab.customer.id or 0,
        actor=Actor(lab.customer.email, lab.customer.id), policy=policy, now=NOW,
    )  # fmt: skip
    session.commit()
    shown = public_booking(session=session, booking=booking, policy=policy)
    requested = session.exec(select(AuditEvent).where(AuditEvent.action == "booking.requested")).one()
    assert requested.after is not None
    for name, value in chosen.items():
        assert name in Booking.__table__.columns  # type: ignore[attr-defined]
        assert getattr(booking, name) == value
        assert getattr(shown, name) == value
        assert requested.after[name] == snapshot({name: value})[name]  # type: ignore[index]
    assert set(BookingBase.model_fields) <= set(BookingPublic.model_fields)

"""A booking walks its lifecycle one audited step at a time; a wrong step is refused naming what is allowed."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session, col, select

from labsys.audit import Actor, AuditEvent, verify_chain
from labsys.bookings import creation, lifecycle, progress, queries, steps
from labsys.bookings.models import Booking, BookingStatus, Sample, SampleDisposition, Urgency
from labsys.bookings.schemas import SampleCondition, SampleReceipt, SampleRelease, SampleReleases
from labsys.bookings.views import public_booking
from labsys.errors import Conflict, InvalidInput, NotFound, RuleViolation
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import ReleaseReason, Reservation
from tests.factories import Lab
from tests.labsys.scheduling.support import NOW, book, booking_in, kst

pytestmark = pytest.mark.integration

START = kst(2026, 12, 2, 10)


def _actions(session: Session, booking: Booking) -> list[str]:
    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity_type == "booking", AuditEvent.entity_id == str(booking.id))
    ).all()
    return [e.action for e in sorted(events, key=lambda e: e.id)]


def _customer(lab: Lab) -> Actor:
    return Actor(lab.customer.email, lab.customer.id)


def _receive(session: Session, lab: Lab, booking: Booking) -> Booking:
    samples = session.exec(select(Sample).where(Sample.booking_id == booking.id)).all()
    receipt = SampleReceipt(samples=[SampleCondition(sample_id=s.id or 0, condition="intact, sealed") for s in samples])
    return steps.receive_samples(
        session=session,
        booking_id=booking.id or 0,
        receipt=receipt,
        received_by_id=lab.engineer.id or 0,
        actor=Actor(lab.engineer.email, lab.engineer.id),
    )


def test_a_new_booking_is_quoted_at_once_from_the_catalog_fee_and_both_steps_are_audited(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking = creation.create_booking(
        session=session,
        booking_in=booking_in(START, quantities=(2, 3), urgency=Urgency.URGENT),
        company_id=lab.company.id or 0,
        requested_by_id=lab.customer.id or 0,
        actor=_customer(lab),
        policy=policy,
        now=NOW,
    )
    session.commit()
    public = public_booking(session=session, booking=booking, policy=policy)
    assert public.status == BookingStatus.QUOTED
    assert public.quote.quantity == 5
    assert public.fee_krw == 180_000 * 5 * 3 // 2
    assert public.applicant.name == lab.company.name == public.payer.name == public.report_recipient.name
    stored = session.get(Booking, booking.id)
    assert stored is not None
    assert (stored.status, stored.quantity, stored.fee_krw) == (BookingStatus.QUOTED, 5, public.fee_krw)
    assert stored.applicant == {"booking_company": True, "contact": ""}  # the company by reference, not a copy
    assert public.applicant.contact == f"{lab.company.contact_name} <{lab.company.contact_email}>"
    assert _actions(session, stored) == ["booking.requested", "booking.quoted"]
    assert verify_chain(session)[1] is None


def test_the_whole_lifecycle_runs_from_quote_to_closed(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    booking = book(session, lab, START, policy=policy)
    steps.confirm_booking(session=session, booking_id=booking.id or 0, company_id=lab.company.id, actor=_customer(lab))
    with pytest.raises(RuleViolation) as early:
        progress.mark_testing(session=session, booking_id=booking.id or 0, actor=Actor(lab.engineer.email))
    assert early.value.rule == "sample_receipt"
    _receive(session, lab, booking)
    engineer = Actor(lab.engineer.email, lab.engineer.id)
    progress.ensure_ready_for_testing(session=session, booking=booking)
    for _ in range(2):  # a second run starts no second step
        progress.mark_testing(session=session, booking_id=booking.id or 0, actor=engineer)
    for step in (BookingStatus.IN_REVIEW, BookingStatus.REPORTED):  # the review and the certificate take these
        lifecycle.move(session, booking, step, actor=engineer)
    samples = session.exec(select(Sample).where(Sample.booking_id == booking.id)).all()
    releases = SampleReleases(
        samples=[
            SampleRelease(sample_id=s.id or 0, disposition=SampleDisposition.RETURNED, note="courier 1234")
            for s in samples
        ]
    )
    closed = steps.close_booking(
        session=session,
        booking_id=booking.id or 0,
        releases=releases,
        released_by_id=lab.engineer.id or 0,
        actor=engineer,
    )
    session.commit()
    assert closed.status == BookingStatus.CLOSED
    assert _actions(session, booking) == [
        "booking.requested",
        "booking.quoted",
        "booking.confirmed",
        "booking.sample_received",
        "booking.testing",
        "booking.in_review",
        "booking.reported",
        "booking.closed",
    ]
    session.expire_all()
    samples = session.exec(select(Sample).where(Sample.booking_id == booking.id)).all()
    assert all(s.condition_on_receipt == "intact, sealed" and s.received_at for s in samples)
    assert all(s.disposition == SampleDisposition.RETURNED and s.disposition_at for s in samples)


def test_a_step_out_of_order_is_refused_naming_the_current_status_and_what_is_allowed(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking = book(session, lab, START, policy=policy)
    with pytest.raises(Conflict) as refused:
        _receive(session, lab, booking)
    assert refused.value.extra == {"status": "quoted", "allowed": ["confirmed", "cancelled", "rejected"]}
    assert "quoted" in refused.value.detail
    with pytest.raises(Conflict):
        lifecycle.move(session, booking, BookingStatus.REPORTED, actor=Actor("x"))


def test_a_receipt_must_name_every_sample(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    booking = creation.create_booking(
        session=session,
        booking_in=booking_in(START, quantities=(1, 1)),
        company_id=lab.company.id or 0,
        requested_by_id=lab.customer.id or 0,
        actor=_customer(lab),
        policy=policy,
        now=NOW,
    )
    steps.confirm_booking(session=session, booking_id=booking.id or 0, company_id=None, actor=_customer(lab))
    first = session.exec(select(Sample).where(Sample.booking_id == booking.id)).first()
    assert first is not None
    with pytest.raises(InvalidInput):
        steps.receive_samples(
            session=session,
            booking_id=booking.id or 0,
            receipt=SampleReceipt(samples=[SampleCondition(sample_id=first.id or 0, condition="ok")]),
            received_by_id=lab.engineer.id or 0,
            actor=Actor(lab.engineer.email),
        )


def _released(session: Session, booking: Booking) -> list[tuple[datetime, ReleaseReason | None]]:
    """The start and the release reason of each released reservation of ``booking``, each with its time."""
    query = select(Reservation).where(Reservation.booking_id == booking.id, ~col(Reservation.active))
    rows = session.exec(query.execution_options(populate_existing=True)).all()
    assert all(r.released_at is not None for r in rows)
    return [(r.starts_at, r.release_reason) for r in rows]


def test_a_cancelled_slot_is_bookable_at_once_by_another_company(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking = book(session, lab, START, policy=policy)
    steps.cancel_booking(session=session, booking_id=booking.id or 0, company_id=lab.company.id, actor=_customer(lab))
    session.commit()
    assert not session.exec(
        select(Reservation).where(Reservation.booking_id == booking.id, col(Reservation.active))
    ).all()
    assert _released(session, booking) == [(START, ReleaseReason.CANCELLED)]
    other = book(session, lab, START, policy=policy, customer=lab.other_customer)
    assert other.starts_at == START
    with pytest.raises(Conflict):
        steps.cancel_booking(session=session, booking_id=booking.id or 0, company_id=None, actor=_customer(lab))


def test_a_rejected_booking_frees_its_slot_and_records_the_reason(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking = book(session, lab, START, policy=policy)
    steps.reject_booking(session=session, booking_id=booking.id or 0, reason="no such diode", actor=Actor("admin"))
    session.commit()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "booking.rejected")).one()
    assert event.after is not None
    assert event.after["reason"] == "no such diode"
    assert _released(session, booking) == [(START, ReleaseReason.REJECTED)]
    assert book(session, lab, START, policy=policy).starts_at == START


def test_a_reschedule_moves_every_reservation_of_a_two_instrument_method(
    session: Session, lab: Lab, policy: SchedulingPolicy
) -> None:
    booking = book(session, lab, START, policy=policy, code="RES-4W-TCR")
    moved = steps.reschedule_booking(
        session=session,
        booking_id=booking.id or 0,
        start=kst(2026, 12, 4, 13),
        company_id=lab.company.id,
        actor=_customer(lab),
        policy=policy,
        now=NOW,
    )
    session.commit()
    active = session.exec(
        select(Reservation).where(Reservation.booking_id == booking.id, col(Reservation.active))
    ).all()
    assert {r.instrument_id for r in active} == {lab.instruments["DMM-01"].id, lab.instruments["TEMP-01"].id}
    assert {(r.starts_at, r.ends_at) for r in active} == {(kst(2026, 12, 4, 13), kst(2026, 12, 4, 14, 30))}
    assert moved.starts_at == kst(2026, 12, 4, 13)
    assert _actions(session, booking)[-1] == "booking.rescheduled"
    assert _released(session, booking) == [(START, ReleaseReason.RESCHEDULED)] * 2  # both instruments
    released_at = session.exec(select(Reservation.released_at).where(~col(Reservation.active))).first()
    assert released_at == NOW
    assert book(session, lab, START, policy=policy, code="RES-4W-TCR").starts_at == START


def test_another_companys_booking_is_not_found(session: Session, lab: Lab, policy: SchedulingPolicy) -> None:
    booking = book(session, lab, START, policy=policy)
    with pytest.raises(NotFound):
        queries.get_booking(session=session, booking_id=booking.id or 0, company_id=lab.other_company.id)
    with pytest.raises(NotFound):
        steps.cancel_booking(
            session=session, booking_id=booking.id or 0, company_id=lab.other_company.id, actor=Actor("other")
        )
    assert queries.list_bookings(session=session, company_id=lab.other_company.id) == ([], 0)

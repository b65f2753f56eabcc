"""The steps of a booking in the caller's write transaction: booking, confirming, cancelling, rejecting,
rescheduling, receiving samples and closing.

Every function takes ``company_id``: the caller's company for a customer, who may touch only its own bookings
(another company's answers :class:`~labsys.errors.NotFound`), or None for the lab's staff. Roles are checked by
the caller (the API's guards); the lifecycle and the scheduling rules are checked here, against what the write
transaction reads under the lab's write lock.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from labsys.audit import Actor, record
from labsys.bookings.creation import company_quota
from labsys.bookings.lifecycle import ensure_can_move, move
from labsys.bookings.models import Booking, BookingStatus, Sample, booking_snapshot
from labsys.bookings.queries import get_booking
from labsys.bookings.schemas import SampleReceipt, SampleReleases
from labsys.db.types import utcnow
from labsys.errors import Conflict, InvalidInput
from labsys.methods.models import TestMethod
from labsys.scheduling import ReleaseReason, SchedulingPolicy, Start, hold, release, slot_for

__all__ = [
    "RESCHEDULABLE",
    "cancel_booking",
    "close_booking",
    "confirm_booking",
    "receive_samples",
    "reject_booking",
    "reschedule_booking",
]


def confirm_booking(*, session: Session, booking_id: int, company_id: int | None, actor: Actor) -> Booking:
    """The customer accepts the quote.

    Raises:
        NotFound: not the caller's booking.
        Conflict: the booking is not quoted.
    """
    booking = get_booking(session=session, booking_id=booking_id, company_id=company_id)
    return move(session, booking, BookingStatus.CONFIRMED, actor=actor)


def cancel_booking(*, session: Session, booking_id: int, company_id: int | None, actor: Actor) -> Booking:
    """Cancel a booking before testing starts; its instrument time is free at once.

    Raises:
        NotFound: not the caller's booking.
        Conflict: testing has started, or the booking has ended.
    """
    booking = get_booking(session=session, booking_id=booking_id, company_id=company_id)
    ensure_can_move(booking, BookingStatus.CANCELLED)
    release(session, booking_id, reason=ReleaseReason.CANCELLED, at=utcnow())
    return move(session, booking, BookingStatus.CANCELLED, actor=actor)


def reject_booking(*, session: Session, booking_id: int, reason: str, actor: Actor) -> Booking:
    """The lab refuses a booking (staff), with the reason; its instrument time is free at once.

    Raises:
        NotFound: no such booking.
        Conflict: testing has started, or the booking has ended.
    """
    booking = get_booking(session=session, booking_id=booking_id, company_id=None)
    ensure_can_move(booking, BookingStatus.REJECTED)
    release(session, booking_id, reason=ReleaseReason.REJECTED, at=utcnow())
    return move(session, booking, BookingStatus.REJECTED, actor=actor, reason=reason)


#: A booking can move in time until testing starts.
RESCHEDULABLE = (BookingStatus.REQUESTED, BookingStatus.QUOTED, BookingStatus.CONFIRMED, BookingStatus.SAMPLE_RECEIVED)


def _ensure_reschedulable(booking: Booking) -> None:
    if booking.status not in RESCHEDULABLE:
        allowed = ", ".join(s.value for s in RESCHEDULABLE)
        raise Conflict(
            f"booking {booking.id} is {booking.status.value}: only a booking that is {allowed} can be rescheduled",
            status=booking.status.value,
            allowed=[s.value for s in RESCHEDULABLE],
        )


def reschedule_booking(
    *,
    session: Session,
    booking_id: int,
    start: Start,
    company_id: int | None,
    actor: Actor,
    policy: SchedulingPolicy,
    now: datetime,
) -> Booking:
    """Move a booking's reservations to a new start, atomically, under every rule a new booking obeys.

    The booking's own time does not count against it (a move by half an hour is fine). Either every
    reservation moves or none does. A booking whose slot was released as a no-show gets its new slot so.

    Raises:
        NotFound: not the caller's booking.
        Conflict: testing has started, or the booking has ended.
        RuleViolation: a scheduling rule refuses the new start (``rule``, ``next_slot``).
    """
    booking = get_booking(session=session, booking_id=booking_id, company_id=company_id)
    _ensure_reschedulable(booking)
    method = session.get(TestMethod, booking.method_id)
    assert method is not None  # noqa: S101 - a foreign key
    quota = company_quota(session, company_id=booking.company_id, policy=policy, now=now, ignore_booking_id=booking_id)
    slot = slot_for(
        session=session, method=method, start=start, policy=policy, now=now, quota=quota,
        ignore_booking_id=booking_id,
    )  # fmt: skip
    before = booking_snapshot(booking)
    release(session, booking_id, reason=ReleaseReason.RESCHEDULED, at=now)
    hold(session, booking_id, slot)
    booking.starts_at, booking.ends_at, booking.updated_at = slot.start, slot.end, now
    booking.no_show_at = None  # a slot released as a no-show is replaced by the new one
    session.add(booking)
    session.flush()
    record(
        session,
        actor=actor,
        action="booking.rescheduled",
        entity_type="booking",
        entity_id=booking.id,
        before=before,
        after=booking_snapshot(booking),
    )
    return booking


def _every_sample(session: Session, booking_id: int, named: set[int]) -> dict[int, Sample]:
    """The booking's samples by id, if ``named`` names each of them exactly.

    Raises:
        InvalidInput: a sample of the booking is missing, or one named is not the booking's.
    """
    samples = {s.id or 0: s for s in session.exec(select(Sample).where(Sample.booking_id == booking_id)).all()}
    if named != set(samples):
        missing, unknown = sorted(set(samples) - named), sorted(named - set(samples))
        raise InvalidInput(
            "samples", f"name every sample of booking {booking_id} once: missing {missing}, not of it {unknown}"
        )
    return samples


def receive_samples(
    *, session: Session, booking_id: int, receipt: SampleReceipt, received_by_id: int, actor: Actor
) -> Booking:
    """Record each sample's condition on arrival (an engineer); the booking becomes ``sample_received``.

    Raises:
        NotFound: no such booking.
        Conflict: the booking is not confirmed.
        InvalidInput: the receipt does not name every sample of the booking exactly once.
    """
    booking = get_booking(session=session, booking_id=booking_id, company_id=None)
    ensure_can_move(booking, BookingStatus.SAMPLE_RECEIVED)
    samples = _every_sample(session, booking_id, {c.sample_id for c in receipt.samples})
    received_at = utcnow()
    for condition in receipt.samples:
        sample = samples[condition.sample_id]
        sample.condition_on_receipt = condition.condition
        sample.received_at = received_at
        sample.received_by_id = received_by_id
        session.add(sample)
    conditions = {str(c.sample_id): c.condition for c in receipt.samples}
    return move(session, booking, BookingStatus.SAMPLE_RECEIVED, actor=actor, conditions=conditions)


def close_booking(
    *, session: Session, booking_id: int, releases: SampleReleases, released_by_id: int, actor: Actor
) -> Booking:
    """Record what became of each sample after the report (returned or disposed of); the booking becomes ``closed``.

    Raises:
        NotFound: no such booking.
        Conflict: the booking has not been reported.
        InvalidInput: the releases do not name every sample of the booking exactly once.
    """
    booking = get_booking(session=session, booking_id=booking_id, company_id=None)
    ensure_can_move(booking, BookingStatus.CLOSED)
    samples = _every_sample(session, booking_id, {r.sample_id for r in releases.samples})
    released_at = utcnow()
    for released in releases.samples:
        sample = samples[released.sample_id]
        sample.disposition, sample.disposition_note = released.disposition, released.note
        sample.disposition_at, sample.disposition_by_id = released_at, released_by_id
        session.add(sample)
    dispositions = {str(r.sample_id): r.disposition.value for r in releases.samples}
    return move(session, booking, BookingStatus.CLOSED, actor=actor, dispositions=dispositions)

"""Bookings on the fixed scheduling clock whose samples have arrived, and their runs as a station would take them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from labsys.audit import Actor
from labsys.bookings import creation
from labsys.bookings.models import Booking, BookingStatus, Sample
from labsys.runs import lifecycle, queueing
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import EarlyRun, Run, RunCreate, RunStatus
from labsys.scheduling import SchedulingPolicy
from labsys.scheduling.models import Reservation
from labsys.timeutil import lab_today
from tests.factories import Lab
from tests.labsys.scheduling.support import NOW, SEOUL, booking_in

__all__ = ["booked_and_received", "queue", "reservation_of", "run_to_end"]


def booked_and_received(
    session: Session, lab: Lab, start: datetime, policy: SchedulingPolicy, samples: int = 1
) -> tuple[Booking, list[Sample]]:
    """A DIODE-IV booking of ``samples`` samples at ``start``, booked through the service at the fixed ``NOW``,
    its samples received."""
    customer = lab.customer
    booked = creation.create_booking(
        session=session,
        booking_in=booking_in(start, quantities=(1,) * samples),
        company_id=customer.company_id or 0,
        requested_by_id=customer.id or 0,
        actor=Actor(customer.email, customer.id),
        policy=policy,
        now=NOW,
    )
    booking = session.get(Booking, booked.id)
    assert booking is not None
    booking.status = BookingStatus.SAMPLE_RECEIVED
    received = list(session.exec(select(Sample).where(Sample.booking_id == booking.id)).all())
    for sample in received:
        sample.received_at, sample.received_by_id = NOW, lab.engineer.id
    session.add_all([booking, *received])
    session.commit()
    return booking, received


def queue(session: Session, lab: Lab, sample: Sample, now: datetime, early: str | None = None) -> Run:
    """Queue a run of ``sample`` as the lab's engineer at ``now`` (committed)."""
    run_in = RunCreate(
        booking=sample.booking_id, sample=sample.id or 0, early=EarlyRun(reason=early) if early is not None else None
    )
    engineer = lab.engineer
    run = queueing.queue_run(
        session=session,
        run_in=run_in,
        engineer=engineer,
        actor=Actor(engineer.email, engineer.id),
        today=lab_today(SEOUL),
        now=now,
        zone=SEOUL,
    )
    session.commit()
    return run


def run_to_end(session: Session, status: RunStatus, ended_at: datetime) -> Run:
    """Claim the oldest queued run as station-1 would and end it as ``status`` at ``ended_at`` (committed)."""
    run = lifecycle.claim_next_run(session=session, station="station-1")
    assert run is not None
    ended = lifecycle.finish_run(session=session, run_id=run.id or 0, outcome=RunOutcome(status, ended_at=ended_at))
    session.commit()
    return ended


def reservation_of(session: Session, booking: Booking) -> Reservation:
    """The booking's one reservation (DIODE-IV holds one SMU), as stored now."""
    (reservation,) = session.exec(
        select(Reservation).where(Reservation.booking_id == booking.id).execution_options(populate_existing=True)
    ).all()
    return reservation

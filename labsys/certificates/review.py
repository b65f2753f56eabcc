"""Review by a second person: an engineer submits a booking's runs, a qualified reviewer approves or sends back.

Approval is issuing the certificate (:func:`labsys.certificates.service.issue_certificate`); the checks that
guard it live here so that issuing and amending apply the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, func, select

from labsys.audit import Actor
from labsys.bookings import lifecycle
from labsys.bookings.models import Booking, BookingStatus
from labsys.certificates.schemas import ReviewPublic, ReviewQueueEntry
from labsys.companies.models import Company, Role, User
from labsys.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from labsys.methods.models import TestMethod
from labsys.runs.models import Run, RunStatus

__all__ = [
    "check_reviewer",
    "describe_review",
    "get_booking",
    "reported_runs",
    "review_queue",
    "send_back",
    "set_booking_status",
    "submit_for_review",
]

_ACTIVE = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})


def get_booking(session: Session, booking_id: int) -> Booking:
    """The booking, for lab staff.

    Raises:
        NotFound: no such booking.
    """
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(f"booking {booking_id} not found")
    return booking


def set_booking_status(
    session: Session, booking: Booking, to: BookingStatus, *, allowed_from: BookingStatus, actor: Actor, **facts: Any
) -> None:
    """Move a booking one lifecycle step with the bookings' own audited step (with ``facts``, e.g. the reason).

    Raises:
        Conflict: the booking is not in ``allowed_from``.
    """
    if booking.status != allowed_from:
        msg = f"booking {booking.id} is {booking.status.value}: it must be {allowed_from.value} to become {to.value}"
        raise Conflict(msg, status=booking.status.value)
    lifecycle.move(session, booking, to, actor=actor, **facts)


def check_reviewer(reviewer: User, method: TestMethod) -> None:
    """Check that ``reviewer`` may sign reports of ``method``.

    Raises:
        PermissionDenied: not a reviewer, or not qualified for the method (the detail says which).
    """
    if reviewer.role != Role.REVIEWER:
        raise PermissionDenied(f"only a reviewer approves test reports; you are signed in as {reviewer.role.value}")
    if method.code not in reviewer.qualifications:
        msg = f"you are not qualified to review {method.code} reports: ask an administrator to add the qualification"
        raise PermissionDenied(msg, method=method.code)


def reported_runs(session: Session, booking: Booking, run_ids: Sequence[int], reviewer: User) -> tuple[Run, ...]:
    """The runs a report will state, checked: the booking's own, completed, with their data digest, and none run
    by the reviewer (four eyes: a second person approves every result).

    Raises:
        InvalidInput: no runs, or a run that is not the booking's.
        Conflict: a run that did not complete, or has no data file digest.
        PermissionDenied: the reviewer ran one of the runs.
    """
    wanted = sorted(set(run_ids))
    if not wanted:
        raise InvalidInput("runs", "a report states the results of at least one run")
    runs = {r.id: r for r in session.exec(select(Run).where(col(Run.id).in_(wanted))).all()}
    for run_id in wanted:
        run = runs.get(run_id)
        if run is None or run.booking_id != booking.id:
            raise InvalidInput("runs", f"run {run_id} is not a run of booking {booking.id}", run=run_id)
        if run.status != RunStatus.COMPLETED:
            raise Conflict(f"run {run_id} is {run.status.value}: only completed runs are reported", run=run_id)
        if not run.hdf5_sha256:
            raise Conflict(f"run {run_id} has no data file digest: it cannot be reported", run=run_id)
        if run.engineer_id == reviewer.id:
            raise PermissionDenied(f"you ran run {run_id}: a second person must approve it", run=run_id)
    return tuple(runs[run_id] for run_id in wanted)


def submit_for_review(*, session: Session, booking_id: int, engineer: User, actor: Actor) -> Booking:
    """Submit a booking's completed runs for review (``testing → in_review``).

    Raises:
        NotFound: no such booking.
        PermissionDenied: the user is not an engineer.
        Conflict: the booking is not in testing, a run is still queued or running, or none completed.
    """
    if engineer.role != Role.ENGINEER:
        raise PermissionDenied("only an engineer submits runs for review")
    booking = get_booking(session, booking_id)
    runs = session.exec(select(Run).where(Run.booking_id == booking_id).order_by(col(Run.id))).all()
    active = [r.id for r in runs if r.status in _ACTIVE]
    if active:
        raise Conflict(f"run {active[0]} of booking {booking_id} has not ended: review starts when every run has")
    completed = [r.id for r in runs if r.status == RunStatus.COMPLETED]
    if not completed and booking.status == BookingStatus.TESTING:
        raise Conflict(f"booking {booking_id} has no completed run to review")
    set_booking_status(
        session, booking, BookingStatus.IN_REVIEW, allowed_from=BookingStatus.TESTING, actor=actor, runs=completed
    )
    return booking


def send_back(*, session: Session, booking_id: int, reason: str, reviewer: User, actor: Actor) -> Booking:
    """Send a booking under review back to testing, with the reason (``in_review → testing``).

    Raises:
        NotFound: no such booking.
        PermissionDenied: the user is not a reviewer qualified for the booking's method.
        InvalidInput: no reason given.
        Conflict: the booking is not under review.
    """
    booking = get_booking(session, booking_id)
    method = session.get(TestMethod, booking.method_id)
    assert method is not None  # noqa: S101 - a foreign key guarantees it
    check_reviewer(reviewer, method)
    if not reason.strip():
        raise InvalidInput("reason", "say why the runs go back to testing")
    set_booking_status(
        session, booking, BookingStatus.TESTING, allowed_from=BookingStatus.IN_REVIEW, actor=actor, reason=reason
    )
    return booking


def describe_review(session: Session, booking: Booking, *, reason: str = "") -> ReviewPublic:
    """A booking's review status and its completed runs."""
    query = select(Run.id).where(Run.booking_id == booking.id, Run.status == RunStatus.COMPLETED).order_by(col(Run.id))
    runs = [run_id or 0 for run_id in session.exec(query).all()]
    return ReviewPublic(booking=booking.id or 0, status=booking.status, runs=runs, reason=reason)


def review_queue(session: Session) -> list[ReviewQueueEntry]:
    """The bookings in review, the longest waiting first, each with its company, method and completed runs.

    A booking in review changes only by leaving review, so its last change is when it was submitted.
    """
    rows = session.exec(
        select(Booking, Company.name, TestMethod.code, TestMethod.title)
        .join(Company, col(Company.id) == col(Booking.company_id))
        .join(TestMethod, col(TestMethod.id) == col(Booking.method_id))
        .where(Booking.status == BookingStatus.IN_REVIEW)
        .order_by(col(Booking.updated_at), col(Booking.id))
    ).all()
    counted = session.exec(
        select(Run.booking_id, func.count())
        .where(col(Run.booking_id).in_([booking.id for booking, *_ in rows]), Run.status == RunStatus.COMPLETED)
        .group_by(col(Run.booking_id))
    ).all()
    runs = dict(counted)
    return [
        ReviewQueueEntry(
            booking=booking.id or 0,
            company=company,
            method_code=code,
            method_title=title,
            urgency=booking.urgency,
            runs=runs.get(booking.id or 0, 0),
            waiting_since=booking.updated_at,
        )
        for booking, company, code, title in rows
    ]

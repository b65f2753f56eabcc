"""Queueing a run: the booking ready, the engineer qualified, the instruments usable, the parameters in range."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from sqlmodel import Session, col, func, select

from labsys.audit import Actor, record
from labsys.bookings.models import Booking, Sample
from labsys.bookings.progress import ensure_ready_for_testing, mark_testing
from labsys.companies.models import Role, User
from labsys.db.types import utcnow
from labsys.equipment.models import Instrument
from labsys.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from labsys.methods.models import TestMethod
from labsys.runs.models import EarlyRun, Run, RunCreate, RunInstrument, run_snapshot
from labsys.runs.parameters import resolve_parameters
from labsys.scheduling.models import Reservation

__all__ = ["queue_run"]


def _booking_instruments(session: Session, booking_id: int) -> list[Instrument]:
    query = (
        select(Instrument)
        .join(Reservation, col(Reservation.instrument_id) == col(Instrument.id))
        .where(Reservation.booking_id == booking_id, col(Reservation.active))
        .order_by(col(Instrument.asset_tag))
    )
    return list(session.exec(query).all())


def _check_engineer(engineer: User, method: TestMethod) -> None:
    if engineer.role != Role.ENGINEER:
        raise PermissionDenied("only an engineer runs a test")
    missing = sorted(set(method.instrument_kinds) - set(engineer.qualifications))
    if missing:
        raise RuleViolation(
            "engineer_qualified", f"{engineer.name} is not qualified to operate {', '.join(missing)}", missing=missing
        )


def _check_instruments(instruments: list[Instrument], method: TestMethod, today: date) -> None:
    kinds = {i.kind for i in instruments}
    if not set(method.instrument_kinds) <= kinds:
        raise Conflict(
            f"the booking holds no reservation for {', '.join(sorted(set(method.instrument_kinds) - kinds))}"
        )
    for instrument in instruments:
        if not instrument.usable_on(today):
            why = "out of calibration" if instrument.status == "in_service" else f"in status {instrument.status}"
            raise RuleViolation(
                "instrument_usable", f"{instrument.asset_tag} is {why}", instrument=instrument.asset_tag
            )


def _check_slot_begun(session: Session, booking: Booking, early: EarlyRun | None, now: datetime, zone: tzinfo) -> None:
    """A run waits for its booking's slot unless the engineer overrides it with a reason."""
    begins = session.exec(
        select(func.min(Reservation.starts_at)).where(Reservation.booking_id == booking.id, col(Reservation.active))
    ).one()
    if begins is None or begins <= now or early is not None:
        return
    local = begins.astimezone(zone)
    raise Conflict(
        f"booking {booking.id}'s slot begins {local:%Y-%m-%d %H:%M} ({local:%Z}); a run before it needs an explicit "
        'override: send "early": {"reason": "..."} to start it now',
        slot_starts_at=begins.isoformat(),
    )


def queue_run(
    *,
    session: Session,
    run_in: RunCreate,
    engineer: User,
    actor: Actor,
    today: date,
    now: datetime | None = None,
    zone: tzinfo = UTC,
) -> Run:
    """Queue a run of the booking's method on one received sample, for a station to execute.

    A run before the booking's slot begins (at ``now``, default the present) needs ``run_in.early`` with the reason;
    the audit trail keeps it with the run's ``run.queued`` event. ``zone`` is where the refusal names the slot's start.

    Raises:
        NotFound: no such booking, or the sample is not the booking's.
        PermissionDenied: the user is not an engineer.
        RuleViolation: the engineer is not qualified, or an instrument is out of service or calibration.
        RuleViolation: ``sample_receipt``: the booking's samples have not all been received.
        Conflict: the booking holds no reservation for an instrument kind the method needs (none after a no-show:
            reschedule it), or its slot has not begun and ``run_in.early`` is not given (``extra['slot_starts_at']``).
        InvalidInput: a parameter outside the method's limits.
    """
    booking = session.get(Booking, run_in.booking)
    if booking is None:
        raise NotFound(f"booking {run_in.booking} not found")
    sample = session.get(Sample, run_in.sample)
    if sample is None or sample.booking_id != booking.id:
        raise NotFound(f"sample {run_in.sample} is not a sample of booking {booking.id}")
    ensure_ready_for_testing(session=session, booking=booking)
    method = session.get(TestMethod, booking.method_id)
    assert method is not None  # noqa: S101 - a foreign key guarantees it
    _check_engineer(engineer, method)
    if booking.no_show_at is not None:
        raise Conflict(
            f"booking {booking.id}'s slot was released because no run started in time: reschedule it first",
            no_show_at=booking.no_show_at.isoformat(),
        )
    instruments = _booking_instruments(session, booking.id or 0)
    _check_instruments(instruments, method, today)
    _check_slot_begun(session, booking, run_in.early, now or utcnow(), zone)
    parameters = resolve_parameters(method.parameters, run_in.parameters)
    assert engineer.id is not None  # noqa: S101 - a stored user
    run = Run(
        booking_id=booking.id or 0,
        sample_id=sample.id or 0,
        method_id=method.id or 0,
        engineer_id=engineer.id,
        parameters=parameters,
    )
    session.add(run)
    session.flush()
    for instrument in instruments:
        session.add(RunInstrument(run_id=run.id or 0, instrument_id=instrument.id or 0))
    mark_testing(session=session, booking_id=booking.id or 0, actor=actor)
    session.flush()
    after = run_snapshot(run)
    if run_in.early is not None:
        after["early"] = {"reason": run_in.early.reason}
    record(session, actor=actor, action="run.queued", entity_type="run", entity_id=run.id, after=after)
    return run

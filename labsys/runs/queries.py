"""Reading runs, as far as the caller may see, and the instruments a run uses."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from labsys.bookings.models import Booking
from labsys.equipment.models import Instrument
from labsys.errors import NotFound
from labsys.runs.models import Run, RunInstrument

__all__ = ["count_runs", "get_run", "list_runs", "run_instruments"]


def run_instruments(session: Session, run_id: int) -> list[Instrument]:
    """The instruments a run uses, by asset tag."""
    query = (
        select(Instrument)
        .join(RunInstrument, col(RunInstrument.instrument_id) == col(Instrument.id))
        .where(RunInstrument.run_id == run_id)
        .order_by(col(Instrument.asset_tag))
    )
    return list(session.exec(query).all())


def get_run(*, session: Session, run_id: int, company_id: int | None) -> Run:
    """The run, if the caller may see it (``company_id`` None: staff, who see every company's).

    Raises:
        NotFound: no such run, or it belongs to another company's booking.
    """
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"run {run_id} not found")
    if company_id is not None:
        booking = session.get(Booking, run.booking_id)
        if booking is None or booking.company_id != company_id:
            raise NotFound(f"run {run_id} not found")
    return run


def list_runs(
    *,
    session: Session,
    company_id: int | None,
    booking_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Run]:
    """The runs the caller may see, newest first (of one booking, if given; ``limit`` of them from ``offset``)."""
    query = select(Run).order_by(col(Run.id).desc())
    if booking_id is not None:
        query = query.where(Run.booking_id == booking_id)
    if company_id is not None:
        query = query.join(Booking, col(Booking.id) == col(Run.booking_id)).where(Booking.company_id == company_id)
    return list(session.exec(query.limit(limit).offset(offset)).all())


def count_runs(*, session: Session, company_id: int | None) -> int:
    """How many runs the caller may see."""
    query = select(func.count()).select_from(Run)
    if company_id is not None:
        query = query.join(Booking, col(Booking.id) == col(Run.booking_id)).where(Booking.company_id == company_id)
    return session.exec(query).one()

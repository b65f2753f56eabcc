"""What the utilisation figures read from the database for a stretch of lab weeks, in a few queries.

Each query is a range scan by start (reservations on ``(instrument_id, starts_at)``, downtime on
``(instrument_id, starts_at)``), as :mod:`labsys.scheduling.context` reads them for the rules.

Which reservations count as booked: every active one (a finished booking's reservation stays active; its booked
end is ``booked_ends_at``), and a no-show's, released because nobody came: its time was held and wasted, and the
figures should show that, even once the booking is rescheduled. A cancelled, rejected, rescheduled or replanned
booking's reservation does not count: its time was freed for others. A no-show's released reservation says so in its
``release_reason``. A row released before the lab kept reasons, whose reason the migration could not tell (0012),
is read as it was then: a no-show's if its booking's ``no_show_at`` is set and its start is still the booking's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from labsys.bookings.models import Booking
from labsys.companies.models import Company
from labsys.equipment.models import Instrument, InstrumentStatus
from labsys.scheduling.models import Downtime, ReleaseReason, Reservation
from labsys.scheduling.policy import MAX_RESERVATION_SPAN
from labsys.utilisation.figures import Span, Use

__all__ = ["InstrumentName", "UtilisationInput", "read_input"]


@dataclass(frozen=True)
class InstrumentName:
    """How the figures name an instrument."""

    id: int
    asset_tag: str
    kind: str


@dataclass(frozen=True)
class UtilisationInput:
    """The uses, downtime blocks, instruments and companies of a stretch of time."""

    uses: list[Use]
    downtime: list[tuple[int, Span]]
    instruments: dict[int, InstrumentName]
    companies: dict[int, str]


def read_input(session: Session, since: datetime, until: datetime) -> UtilisationInput:
    """Read every booked or used span and every downtime block that may touch ``[since, until)``.

    Instruments are those not retired, and retired ones that were booked or down in the stretch.
    """
    uses, companies = _uses(session, since, until)
    downtime = _downtime(session, since, until)
    involved = {u.instrument_id for u in uses} | {i for i, _ in downtime}
    instruments = {
        i.id or 0: InstrumentName(i.id or 0, i.asset_tag, i.kind)
        for i in session.exec(select(Instrument))
        if i.status != InstrumentStatus.RETIRED or i.id in involved
    }
    return UtilisationInput(uses, downtime, instruments, companies)


def _uses(session: Session, since: datetime, until: datetime) -> tuple[list[Use], dict[int, str]]:
    query = (
        select(Reservation, Booking.company_id, Company.name)
        .join(Booking, col(Booking.id) == col(Reservation.booking_id))
        .join(Company, col(Company.id) == col(Booking.company_id))
        .where(
            # The lower bound keeps this an index range scan on (instrument_id, starts_at).
            col(Reservation.starts_at) >= since - MAX_RESERVATION_SPAN,
            col(Reservation.starts_at) < until,
            or_(
                col(Reservation.active),
                col(Reservation.release_reason) == ReleaseReason.NO_SHOW,
                and_(
                    col(Reservation.release_reason).is_(None),
                    col(Booking.no_show_at).is_not(None),
                    col(Reservation.starts_at) == col(Booking.starts_at),
                ),
            ),
        )
        .order_by(col(Reservation.instrument_id), col(Reservation.starts_at))
    )
    uses = []
    companies = {}
    for reservation, company_id, company in session.exec(query):
        used = None
        if reservation.actual_start is not None and reservation.actual_end is not None:
            used = Span(reservation.actual_start, reservation.actual_end)
        booked = Span(reservation.starts_at, reservation.booked_ends_at or reservation.ends_at)
        uses.append(Use(reservation.instrument_id, company_id, booked, used))
        companies[company_id] = company
    return uses, companies


def _downtime(session: Session, since: datetime, until: datetime) -> list[tuple[int, Span]]:
    query = select(Downtime.instrument_id, Downtime.starts_at, Downtime.ends_at).where(
        col(Downtime.starts_at) < until, col(Downtime.ends_at) > since
    )
    return [(instrument_id, Span(starts, ends)) for instrument_id, starts, ends in session.exec(query)]

"""Adding, listing and removing instruments' downtime, one transaction per call, each change audited.

A block may be laid over reservations already made: they stay as they are (the planner moves them later), and
the answer lists their bookings. No new booking or reschedule can take the instrument during the block: the
``downtime`` rule of :mod:`labsys.scheduling.rules` sees to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.bookings.models import Booking
from labsys.companies.models import Company
from labsys.db import Database, utcnow
from labsys.downtime.schemas import DisplacedBooking, DowntimeAdded, DowntimeCreate, DowntimePublic, DowntimesPublic
from labsys.equipment.models import Instrument
from labsys.errors import NotFound
from labsys.scheduling.models import Downtime, Reservation

__all__ = ["DowntimeService", "displaced_by"]


def _instrument(session: Session, asset_tag: str) -> Instrument:
    instrument = session.exec(select(Instrument).where(Instrument.asset_tag == asset_tag)).first()
    if instrument is None:
        raise NotFound(f"no instrument with asset tag {asset_tag!r}")
    return instrument


def _block(session: Session, asset_tag: str, downtime_id: int) -> Downtime:
    instrument = _instrument(session, asset_tag)
    downtime = session.get(Downtime, downtime_id)
    if downtime is None or downtime.instrument_id != instrument.id:
        raise NotFound(f"{asset_tag} has no downtime block {downtime_id}")
    return downtime


def _public(downtime: Downtime, asset_tag: str) -> DowntimePublic:
    return DowntimePublic.model_validate(downtime, from_attributes=True, update={"instrument": asset_tag})


def displaced_by(session: Session, downtime: Downtime) -> list[DisplacedBooking]:
    """The bookings whose active reservation of the block's instrument overlaps it, earliest first."""
    query = (
        select(Booking.id, Company.name, Reservation.starts_at)
        .join(Booking, col(Booking.id) == col(Reservation.booking_id))
        .join(Company, col(Company.id) == col(Booking.company_id))
        .where(
            Reservation.instrument_id == downtime.instrument_id,
            col(Reservation.active),
            col(Reservation.starts_at) < downtime.ends_at,
            col(Reservation.blocked_until) > downtime.starts_at,
        )
        .order_by(col(Reservation.starts_at))
    )
    return [
        DisplacedBooking(booking_id=booking_id or 0, company=company, starts_at=starts_at)
        for booking_id, company, starts_at in session.exec(query)
    ]


class DowntimeService:
    """Maintenance and repair blocks of the lab's instruments (staff)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, asset_tag: str, block: DowntimeCreate, *, by: Actor) -> DowntimeAdded:
        """Block an instrument for maintenance or repair (audited as ``instrument.downtime_added``).

        Raises:
            NotFound: no such instrument.
        """
        with self._db.writing() as session:
            instrument = _instrument(session, asset_tag)
            downtime = Downtime(
                instrument_id=instrument.id or 0, created_by_id=by.id, created_at=utcnow(), **block.model_dump()
            )
            session.add(downtime)
            session.flush()
            added = DowntimeAdded(downtime=_public(downtime, asset_tag), displaced=displaced_by(session, downtime))
            record(
                session, actor=by, action="instrument.downtime_added", entity_type="instrument",
                entity_id=asset_tag, after=added.model_dump(mode="json"),
            )  # fmt: skip
            return added

    def list(self, asset_tag: str) -> DowntimesPublic:
        """The instrument's downtime blocks, by start.

        Raises:
            NotFound: no such instrument.
        """
        with self._db.reading() as session:
            instrument = _instrument(session, asset_tag)
            rows = session.exec(
                select(Downtime)
                .where(Downtime.instrument_id == instrument.id)
                .order_by(col(Downtime.starts_at), col(Downtime.id))
            ).all()
            data = [_public(d, asset_tag) for d in rows]
            return DowntimesPublic(data=data, count=len(data))

    def displaced(self, asset_tag: str, downtime_id: int) -> Sequence[DisplacedBooking]:
        """The bookings a block of the instrument displaces now (as :meth:`add` answered, less those moved since),
        earliest first.

        Raises:
            NotFound: no such instrument, or it has no block with that id.
        """
        with self._db.reading() as session:
            return displaced_by(session, _block(session, asset_tag, downtime_id))

    def upcoming(self) -> DowntimesPublic:
        """Every instrument's blocks that have not ended yet, by start."""
        query = (
            select(Downtime, Instrument.asset_tag)
            .join(Instrument, col(Instrument.id) == col(Downtime.instrument_id))
            .where(col(Downtime.ends_at) > utcnow())
            .order_by(col(Downtime.starts_at), col(Downtime.id))
        )
        with self._db.reading() as session:
            data = [_public(downtime, asset_tag) for downtime, asset_tag in session.exec(query)]
        return DowntimesPublic(data=data, count=len(data))

    def remove(self, asset_tag: str, downtime_id: int, *, by: Actor) -> None:
        """Remove a downtime block (audited as ``instrument.downtime_removed``).

        Raises:
            NotFound: no such instrument, or it has no block with that id.
        """
        with self._db.writing() as session:
            downtime = _block(session, asset_tag, downtime_id)
            removed = _public(downtime, asset_tag)
            session.delete(downtime)
            session.flush()
            record(
                session, actor=by, action="instrument.downtime_removed", entity_type="instrument",
                entity_id=asset_tag, before=removed.model_dump(mode="json"),
            )  # fmt: skip

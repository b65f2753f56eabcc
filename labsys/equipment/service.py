"""The lab's equipment: adding instruments, recording calibrations, taking them out of service."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.db import Database
from labsys.equipment.catalogue import check_drivable
from labsys.equipment.models import (
    CalibrationState,
    Instrument,
    InstrumentCreate,
    InstrumentPublic,
    InstrumentsPublic,
    InstrumentStatus,
    instrument_snapshot,
)
from labsys.equipment.schemas import CalibrationRecord, StatusChange
from labsys.errors import Conflict, InvalidInput, NotFound
from labsys.timeutil import lab_today

__all__ = ["DUE_SOON_DAYS", "EquipmentService", "add_instrument", "calibration_state", "instrument_public"]

#: A calibration due within this many days is flagged so the lab can plan it.
DUE_SOON_DAYS = 30


def calibration_state(instrument: Instrument, today: date) -> CalibrationState:
    """Whether the instrument's calibration is valid, due soon, overdue or missing on ``today``."""
    if instrument.calibration_due is None:
        return CalibrationState.NONE
    if instrument.calibration_due < today:
        return CalibrationState.OVERDUE
    if instrument.calibration_due <= today + timedelta(days=DUE_SOON_DAYS):
        return CalibrationState.DUE_SOON
    return CalibrationState.VALID


def instrument_public(instrument: Instrument, today: date) -> InstrumentPublic:
    """An instrument as the API shows it, with its calibration state and whether it may be used ``today``."""
    return InstrumentPublic.model_validate(
        instrument,
        update={"calibration_state": calibration_state(instrument, today), "usable_today": instrument.usable_on(today)},
    )


def add_instrument(session: Session, instrument_in: InstrumentCreate, actor: Actor) -> Instrument:
    """Register an instrument.

    Raises:
        Conflict: the asset tag is taken.
    """
    if session.exec(select(Instrument).where(Instrument.asset_tag == instrument_in.asset_tag)).first():
        raise Conflict(f"an instrument with asset tag {instrument_in.asset_tag} already exists", field="asset_tag")
    instrument = Instrument.model_validate(instrument_in.model_dump())
    session.add(instrument)
    session.flush()
    record(
        session,
        actor=actor,
        action="instrument.added",
        entity_type="instrument",
        entity_id=instrument.asset_tag,
        after=instrument_snapshot(instrument),
    )
    return instrument


def _instrument(session: Session, asset_tag: str) -> Instrument:
    instrument = session.exec(select(Instrument).where(Instrument.asset_tag == asset_tag)).first()
    if instrument is None:
        raise NotFound(f"no instrument with asset tag {asset_tag!r}")
    return instrument


def _changed(session: Session, instrument: Instrument, before: dict[str, object], action: str, actor: Actor) -> None:
    session.add(instrument)
    session.flush()
    record(
        session,
        actor=actor,
        action=action,
        entity_type="instrument",
        entity_id=instrument.asset_tag,
        before=before,
        after=instrument_snapshot(instrument),
    )


class EquipmentService:
    """The lab's equipment, one transaction per call; "today" is the date in the lab's zone."""

    def __init__(self, db: Database, zone: ZoneInfo) -> None:
        self._db = db
        self._zone = zone

    def list_instruments(self, kind: str | None = None) -> InstrumentsPublic:
        """Every instrument by asset tag (or those of one kind), with whether it may be used today."""
        query = select(Instrument).order_by(col(Instrument.asset_tag))
        if kind is not None:
            query = query.where(Instrument.kind == kind)
        today = lab_today(self._zone)
        with self._db.reading() as session:
            data = [instrument_public(i, today) for i in session.exec(query).all()]
        return InstrumentsPublic(data=data, count=len(data))

    def add_instrument(self, instrument_in: InstrumentCreate, *, by: Actor) -> InstrumentPublic:
        """Register an instrument (audited).

        Raises:
            InvalidInput: the catalogue has no such driver for that kind, or the resource is not a VISA resource.
            Conflict: the asset tag is taken.
        """
        check_drivable(instrument_in)
        with self._db.writing() as session:
            return instrument_public(add_instrument(session, instrument_in, by), lab_today(self._zone))

    def record_calibration(self, asset_tag: str, calibration: CalibrationRecord, *, by: Actor) -> InstrumentPublic:
        """Record a calibration of an instrument (audited).

        Raises:
            NotFound: no such instrument.
            InvalidInput: the calibration is dated in the future.
        """
        today = lab_today(self._zone)
        if calibration.calibrated_on > today:
            raise InvalidInput("calibrated_on", "a calibration cannot be recorded before it was done")
        with self._db.writing() as session:
            instrument = _instrument(session, asset_tag)
            before = instrument_snapshot(instrument)
            instrument.calibrated_on = calibration.calibrated_on
            instrument.calibration_due = calibration.calibration_due
            instrument.calibration_certificate = calibration.certificate
            _changed(session, instrument, before, "instrument.calibrated", by)
            return instrument_public(instrument, today)

    def set_status(self, asset_tag: str, change: StatusChange, *, by: Actor) -> InstrumentPublic:
        """Take an instrument out of service, retire it, or return it to service (audited).

        Raises:
            NotFound: no such instrument.
            Conflict: a retired instrument cannot come back.
        """
        with self._db.writing() as session:
            instrument = _instrument(session, asset_tag)
            if instrument.status == InstrumentStatus.RETIRED and change.status != InstrumentStatus.RETIRED:
                raise Conflict(f"{asset_tag} is retired and cannot return to service")
            before = instrument_snapshot(instrument)
            instrument.status = change.status
            instrument.status_reason = change.reason
            _changed(session, instrument, before, "instrument.status_changed", by)
            return instrument_public(instrument, lab_today(self._zone))

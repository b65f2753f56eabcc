"""The lab's equipment: adding instruments, recording calibrations, taking them out of service."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.equipment.models import Instrument
from labsys.equipment.schemas import CalibrationRecord, CalibrationState, InstrumentCreate, StatusChange
from labsys.errors import Conflict, InvalidInput, NotFound

__all__ = [
    "DUE_SOON_DAYS",
    "add_instrument",
    "calibration_state",
    "get_instrument",
    "list_instruments",
    "record_calibration",
    "set_status",
]

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


def _snapshot(instrument: Instrument) -> dict[str, object]:
    return instrument.model_dump(exclude={"created_at"})


def add_instrument(*, session: Session, instrument_in: InstrumentCreate, actor: Actor) -> Instrument:
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
        after=_snapshot(instrument),
    )
    return instrument


def list_instruments(*, session: Session, kind: str | None = None) -> list[Instrument]:
    """The equipment by asset tag, or the instruments of one kind."""
    query = select(Instrument).order_by(col(Instrument.asset_tag))
    if kind is not None:
        query = query.where(Instrument.kind == kind)
    return list(session.exec(query).all())


def get_instrument(*, session: Session, asset_tag: str) -> Instrument:
    """The instrument with this asset tag.

    Raises:
        NotFound: there is none.
    """
    instrument = session.exec(select(Instrument).where(Instrument.asset_tag == asset_tag)).first()
    if instrument is None:
        raise NotFound(f"no instrument with asset tag {asset_tag!r}")
    return instrument


def record_calibration(
    *, session: Session, asset_tag: str, calibration: CalibrationRecord, actor: Actor, today: date
) -> Instrument:
    """Record a calibration of an instrument (audited).

    Raises:
        NotFound: no such instrument.
        InvalidInput: the calibration is dated in the future.
    """
    if calibration.calibrated_on > today:
        raise InvalidInput("calibrated_on", "a calibration cannot be recorded before it was done")
    instrument = get_instrument(session=session, asset_tag=asset_tag)
    before = _snapshot(instrument)
    instrument.calibrated_on = calibration.calibrated_on
    instrument.calibration_due = calibration.calibration_due
    instrument.calibration_certificate = calibration.certificate
    session.add(instrument)
    session.flush()
    record(
        session,
        actor=actor,
        action="instrument.calibrated",
        entity_type="instrument",
        entity_id=asset_tag,
        before=before,
        after=_snapshot(instrument),
    )
    return instrument


def set_status(*, session: Session, asset_tag: str, change: StatusChange, actor: Actor) -> Instrument:
    """Take an instrument out of service, retire it, or return it to service (audited).

    Raises:
        NotFound: no such instrument.
        Conflict: a retired instrument cannot come back.
    """
    instrument = get_instrument(session=session, asset_tag=asset_tag)
    if instrument.status == "retired" and change.status != "retired":
        raise Conflict(f"{asset_tag} is retired and cannot return to service")
    before = _snapshot(instrument)
    instrument.status = change.status
    instrument.status_reason = change.reason
    session.add(instrument)
    session.flush()
    record(
        session,
        actor=actor,
        action="instrument.status_changed",
        entity_type="instrument",
        entity_id=asset_tag,
        before=before,
        after=_snapshot(instrument),
    )
    return instrument

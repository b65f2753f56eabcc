"""The lab's instruments, as a SQLModel family (see :mod:`labsys.companies.models`): identity, where they are
cabled, status and calibration."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from labsys.bounds import LabDate
from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = [
    "CalibrationState",
    "Instrument",
    "InstrumentBase",
    "InstrumentCreate",
    "InstrumentPublic",
    "InstrumentStatus",
    "InstrumentsPublic",
    "instrument_snapshot",
]


class InstrumentStatus(StrEnum):
    """Whether an instrument may be booked and used."""

    IN_SERVICE = "in_service"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


class CalibrationState(StrEnum):
    """Where an instrument's calibration stands today."""

    VALID = "valid"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NONE = "none"


class InstrumentBase(SQLModel):
    """One instrument of the lab, reached through ``resource`` (a VISA resource string) by ``driver``."""

    asset_tag: str = Field(min_length=1, max_length=40, unique=True, index=True)
    kind: str = Field(min_length=1, max_length=20, index=True)
    manufacturer: str = Field(min_length=1, max_length=100)
    model: str = Field(min_length=1, max_length=100)
    serial: str = Field(min_length=1, max_length=100)
    firmware: str = Field(default="", max_length=100)
    resource: str = Field(min_length=1, max_length=200, description="VISA resource string")
    driver: str = Field(min_length=1, max_length=100)
    station: str = Field(min_length=1, max_length=100, index=True)
    calibrated_on: LabDate | None = None
    calibration_due: LabDate | None = None
    calibration_certificate: str = Field(default="", max_length=100)
    setup_buffer_min: int = Field(default=15, ge=0, le=24 * 60)


class InstrumentCreate(InstrumentBase):
    """An instrument added to the lab's equipment."""


class Instrument(InstrumentBase, table=True):
    """An instrument of the lab, with whether it is in service."""

    id: int | None = Field(default=None, primary_key=True)
    status: InstrumentStatus = Field(default=InstrumentStatus.IN_SERVICE, sa_type=enum_type(InstrumentStatus))
    status_reason: str = Field(default="", max_length=400)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def calibrated_through(self, day: date) -> bool:
        """Whether the calibration is valid on ``day`` (the due date itself still counts)."""
        return self.calibration_due is not None and day <= self.calibration_due

    def usable_on(self, day: date) -> bool:
        """Whether the instrument may be booked and used on ``day``: in service and calibrated."""
        return self.status == InstrumentStatus.IN_SERVICE and self.calibrated_through(day)


class InstrumentPublic(InstrumentBase):
    """An instrument with whether it may be booked and used today."""

    id: int
    status: InstrumentStatus
    status_reason: str
    calibration_state: CalibrationState
    usable_today: bool


class InstrumentsPublic(SQLModel):
    """The lab's equipment."""

    data: list[InstrumentPublic]
    count: int


def instrument_snapshot(instrument: Instrument) -> dict[str, object]:
    """What the audit trail keeps of an instrument."""
    return instrument.model_dump(exclude={"created_at"})

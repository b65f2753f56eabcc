"""What the API takes and gives for instruments."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator
from sqlmodel import SQLModel

from labsys.equipment.models import InstrumentStatus

__all__ = [
    "CalibrationRecord",
    "CalibrationState",
    "InstrumentCreate",
    "InstrumentPublic",
    "InstrumentsPublic",
    "StatusChange",
]


class CalibrationState(StrEnum):
    """Where an instrument's calibration stands today."""

    VALID = "valid"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NONE = "none"


class InstrumentCreate(SQLModel):
    """An instrument added to the lab's equipment."""

    asset_tag: str = Field(min_length=1, max_length=40)
    kind: str = Field(min_length=1, max_length=20)
    manufacturer: str = Field(min_length=1, max_length=100)
    model: str = Field(min_length=1, max_length=100)
    serial: str = Field(min_length=1, max_length=100)
    firmware: str = ""
    resource: str = Field(min_length=1, max_length=200, description="VISA resource string")
    driver: str = Field(min_length=1, max_length=100)
    station: str = Field(min_length=1, max_length=100)
    calibrated_on: date | None = None
    calibration_due: date | None = None
    calibration_certificate: str = ""
    setup_buffer_min: int = Field(default=15, ge=0, le=24 * 60)


class InstrumentPublic(InstrumentCreate):
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


class CalibrationRecord(SQLModel):
    """A calibration done: when, valid until when, and the calibration certificate's number."""

    calibrated_on: date
    calibration_due: date
    certificate: str = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _due_after_done(self) -> CalibrationRecord:
        if self.calibration_due <= self.calibrated_on:
            msg = "calibration_due must come after calibrated_on"
            raise ValueError(msg)
        return self


class StatusChange(SQLModel):
    """Taking an instrument out of service (maintenance, retired) or back in, and why."""

    status: InstrumentStatus
    reason: str = Field(min_length=1, max_length=400)

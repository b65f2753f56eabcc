"""What the API takes for changes to an instrument: a calibration done, a change of status."""

from __future__ import annotations

from pydantic import Field, model_validator
from sqlmodel import SQLModel

from labsys.bounds import LabDate
from labsys.equipment.models import InstrumentStatus

__all__ = ["CalibrationRecord", "StatusChange"]


class CalibrationRecord(SQLModel):
    """A calibration done: when, valid until when, and the calibration certificate's number."""

    calibrated_on: LabDate
    calibration_due: LabDate
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

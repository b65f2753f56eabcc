"""The lab's instruments: identity, where they are cabled, status and calibration."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = ["Instrument", "InstrumentStatus"]


class InstrumentStatus(StrEnum):
    """Whether an instrument may be booked and used."""

    IN_SERVICE = "in_service"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


class Instrument(SQLModel, table=True):
    """One instrument of the lab, reached through ``resource`` (a VISA resource string) by ``driver``."""

    id: int | None = Field(default=None, primary_key=True)
    asset_tag: str = Field(max_length=40, unique=True, index=True)
    kind: str = Field(max_length=20, index=True)
    manufacturer: str = Field(max_length=100)
    model: str = Field(max_length=100)
    serial: str = Field(max_length=100)
    firmware: str = Field(default="", max_length=100)
    resource: str = Field(max_length=200)
    driver: str = Field(max_length=100)
    station: str = Field(max_length=100, index=True)
    status: InstrumentStatus = Field(default=InstrumentStatus.IN_SERVICE, sa_type=enum_type(InstrumentStatus))
    status_reason: str = Field(default="", max_length=400)
    calibrated_on: date | None = None
    calibration_due: date | None = None
    calibration_certificate: str = Field(default="", max_length=100)
    setup_buffer_min: int = Field(default=15, ge=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def calibrated_through(self, day: date) -> bool:
        """Whether the calibration is valid on ``day`` (the due date itself still counts)."""
        return self.calibration_due is not None and day <= self.calibration_due

    def usable_on(self, day: date) -> bool:
        """Whether the instrument may be booked and used on ``day``: in service and calibrated."""
        return self.status == InstrumentStatus.IN_SERVICE and self.calibrated_through(day)

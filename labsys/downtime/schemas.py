"""What the API takes and shows of an instrument's downtime."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, model_validator
from sqlmodel import SQLModel

from labsys.bounds import within_lab_years
from labsys.scheduling.models import DowntimeKind

__all__ = ["DisplacedBooking", "DowntimeAdded", "DowntimeCreate", "DowntimePublic", "DowntimesPublic"]

#: The longest block one request may set: a longer absence is taking the instrument out of service.
MAX_DOWNTIME = timedelta(days=366)

_LabTime = Annotated[AwareDatetime, AfterValidator(within_lab_years)]


class DowntimeCreate(SQLModel):
    """A maintenance or repair block ``[starts_at, ends_at)`` (aware times) and why."""

    kind: DowntimeKind
    starts_at: _LabTime
    ends_at: _LabTime
    reason: str = Field(min_length=1, max_length=400)

    @model_validator(mode="after")
    def _ends_after_start(self) -> DowntimeCreate:
        if self.ends_at <= self.starts_at:
            msg = "ends_at must come after starts_at"
            raise ValueError(msg)
        if self.ends_at - self.starts_at > MAX_DOWNTIME:
            msg = "a downtime block lasts at most a year: take the instrument out of service instead"
            raise ValueError(msg)
        return self


class DowntimePublic(SQLModel):
    """A downtime block of the instrument with asset tag ``instrument``."""

    id: int
    instrument: str
    kind: DowntimeKind
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_by_id: int | None
    created_at: datetime


class DisplacedBooking(SQLModel):
    """A booking whose reservation lies in a new downtime block: it keeps its slot until the planner moves it."""

    booking_id: int
    company: str
    starts_at: datetime


class DowntimeAdded(SQLModel):
    """A new downtime block and the bookings it displaces, earliest first."""

    downtime: DowntimePublic
    displaced: list[DisplacedBooking]


class DowntimesPublic(SQLModel):
    """An instrument's downtime blocks, by start."""

    data: list[DowntimePublic]
    count: int

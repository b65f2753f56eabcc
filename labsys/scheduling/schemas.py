"""What the API takes and shows of engineers' time: weekly shifts and leave."""

from __future__ import annotations

import itertools
from datetime import time

from pydantic import Field, field_validator, model_validator
from sqlmodel import SQLModel

from labsys.bounds import LabDate

__all__ = [
    "LeaveCreate",
    "LeavePublic",
    "LeavesPublic",
    "ShiftIn",
    "ShiftsPublic",
    "ShiftsUpdate",
    "parse_shift",
]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ShiftIn(SQLModel):
    """A weekly shift: on ``weekday`` (0 = Monday … 6 = Sunday), from ``starts_at`` to ``ends_at``, wall-clock
    times in the lab's zone (no offset)."""

    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    starts_at: time
    ends_at: time

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _wall_clock(cls, value: time) -> time:
        if value.tzinfo is not None:
            msg = "give a wall-clock time in the lab's zone, without an offset"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _ends_after_start(self) -> ShiftIn:
        if self.ends_at <= self.starts_at:
            msg = f"a shift's ends_at ({self.ends_at:%H:%M}) must come after its starts_at ({self.starts_at:%H:%M})"
            raise ValueError(msg)
        return self


def parse_shift(text: str) -> ShiftIn:
    """A shift written as a person types it: ``mon 09:00-13:00`` (weekday by its first three letters).

    Raises:
        ValueError: the text is not a weekday and two times, or the shift ends before it starts.
    """
    day, _, hours = text.strip().partition(" ")
    starts, _, ends = hours.strip().partition("-")
    names = [name[:3].lower() for name in _WEEKDAYS]
    if day[:3].lower() not in names or not starts or not ends:
        msg = f"{text!r} is not a shift: write it as a weekday and two times, e.g. 'mon 09:00-13:00'"
        raise ValueError(msg)
    return ShiftIn.model_validate(
        {"weekday": names.index(day[:3].lower()), "starts_at": starts.strip(), "ends_at": ends.strip()}
    )


class ShiftsUpdate(SQLModel):
    """An engineer's whole weekly pattern, replacing the one before; none: the lab's opening hours."""

    shifts: list[ShiftIn] = Field(max_length=50)

    @model_validator(mode="after")
    def _no_overlap(self) -> ShiftsUpdate:
        ordered = sorted(self.shifts, key=lambda s: (s.weekday, s.starts_at))
        for earlier, later in itertools.pairwise(ordered):
            if earlier.weekday == later.weekday and later.starts_at < earlier.ends_at:
                msg = f"two shifts on {_WEEKDAYS[later.weekday]} overlap: give each hour once"
                raise ValueError(msg)
        return self


class ShiftsPublic(SQLModel):
    """An engineer's weekly shifts, by weekday and start; none means the lab's opening hours on open days."""

    engineer_id: int
    data: list[ShiftIn]
    count: int


class LeaveCreate(SQLModel):
    """Days an engineer does not work, ``first_day`` to ``last_day`` inclusive, and why."""

    first_day: LabDate
    last_day: LabDate
    reason: str = Field(min_length=1, max_length=400)

    @model_validator(mode="after")
    def _last_after_first(self) -> LeaveCreate:
        if self.last_day < self.first_day:
            msg = "last_day must be first_day or later"
            raise ValueError(msg)
        return self


class LeavePublic(LeaveCreate):
    """One stretch of an engineer's leave."""

    id: int
    engineer_id: int


class LeavesPublic(SQLModel):
    """An engineer's leave, by first day."""

    data: list[LeavePublic]
    count: int

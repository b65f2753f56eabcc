"""The planner over the API: what a lab manager asks for, and the proposal as a diff they read and apply."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from labsys.weeks import parse_iso_week

__all__ = ["PlanChange", "PlanCreate", "PlanFigures", "PlanPublic"]

#: How long a lab manager may let the solver think, in seconds.
MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S = 1, 60


class PlanCreate(SQLModel):
    """A lab week (``2026-W49``) or a stretch ``[start, end)`` to plan, and how long the solver may think."""

    week: str | None = Field(default=None, description="an ISO week, such as 2026-W49", max_length=10)
    start: datetime | None = None
    end: datetime | None = None
    time_limit_s: int = Field(default=10, ge=MIN_TIME_LIMIT_S, le=MAX_TIME_LIMIT_S)

    @model_validator(mode="after")
    def _week_or_stretch(self) -> PlanCreate:
        if (self.week is None) == (self.start is None or self.end is None):
            raise ValueError("give either week, or both start and end")
        if self.week is not None:
            parse_iso_week(self.week)
        return self


class PlanChange(SQLModel):
    """What the plan does to one booking, and the booking's state it was planned from."""

    booking_id: int
    company: str
    method: str
    action: Literal["assigned", "moved", "kept", "unplaceable"]
    old_start: datetime | None
    old_instruments: list[str]
    old_engineer_id: int | None
    new_start: datetime | None
    new_end: datetime | None
    instruments: list[str] = Field(description="asset tags of the instruments the work is placed on")
    instrument_ids: list[int]
    engineer_id: int | None
    engineer: str | None
    reason: str | None = Field(description="why the booking cannot be placed")
    booking_updated_at: datetime = Field(description="the booking as planned: any change since makes the plan stale")


class PlanFigures(SQLModel):
    """How the plan does against the lab as it stands, and how the solver did."""

    promises_broken_before: int
    promises_broken_after: int
    weighted_tardiness_h_before: float
    weighted_tardiness_h_after: float
    solver_status: str = Field(description="OPTIMAL, or FEASIBLE when the time limit came first")
    gap: float = Field(description="how far the promises kept may be from the best, as a share (0 when optimal)")
    solve_s: float


class PlanPublic(SQLModel):
    """A proposal: its changes booking by booking, its figures, and whether it has been applied."""

    id: int
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    applied_at: datetime | None = None
    figures: PlanFigures
    changes: list[PlanChange]

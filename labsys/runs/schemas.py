"""What the API takes and gives for runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field
from sqlmodel import SQLModel

from labsys.runs.models import RunStatus, Verdict

__all__ = ["RunCreate", "RunPublic"]


class RunCreate(SQLModel):
    """A run to queue: which booking and sample, with which parameters (method defaults fill the rest)."""

    booking: int = Field(description="booking id")
    sample: int = Field(description="sample id (one of the booking's samples)")
    parameters: dict[str, float] = Field(default_factory=dict, description="parameter name → value in its unit")


class RunPublic(SQLModel):
    """A run's status, progress and results."""

    id: int
    booking_id: int
    sample_id: int
    method_code: str
    engineer_id: int
    instruments: list[str]
    parameters: dict[str, Any]
    status: RunStatus
    progress: float
    station: str | None
    abort_requested: bool
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    hdf5_sha256: str | None
    rows_committed: int
    metrics: dict[str, Any]
    verdict: Verdict | None
    failure_reason: str

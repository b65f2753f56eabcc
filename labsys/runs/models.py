"""Runs: one execution of a method's procedure on one sample, by a station."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = ["Run", "RunInstrument", "RunStatus", "Verdict"]


class RunStatus(StrEnum):
    """Where a run is: waiting for a station, running, or ended (and how)."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    ABORTED = "aborted"
    INTERRUPTED = "interrupted"


class Verdict(StrEnum):
    """The statement of conformity of a run against the method's spec limits."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class Run(SQLModel, table=True):
    """A procedure run: who ran what on which sample, how far it got, where its data is, what it found."""

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    sample_id: int = Field(foreign_key="sample.id")
    method_id: int = Field(foreign_key="test_method.id")
    engineer_id: int = Field(foreign_key="user.id")
    parameters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: RunStatus = Field(default=RunStatus.QUEUED, sa_type=enum_type(RunStatus), index=True)
    progress: float = 0.0
    station: str | None = Field(default=None, max_length=100, index=True)
    abort_requested: bool = False
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hdf5_path: str | None = Field(default=None, max_length=500)
    hdf5_sha256: str | None = Field(default=None, max_length=64)
    rows_committed: int = 0
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    verdict: Verdict | None = Field(default=None, sa_type=enum_type(Verdict))
    failure_reason: str = Field(default="", max_length=2000)


class RunInstrument(SQLModel, table=True):
    """An instrument a run uses (a station claims runs whose instruments are all its own)."""

    __tablename__ = "run_instrument"

    run_id: int = Field(foreign_key="run.id", primary_key=True)
    instrument_id: int = Field(foreign_key="instrument.id", primary_key=True)

"""Runs: one execution of a method's procedure on one sample, by a station, as a SQLModel family (see
:mod:`labsys.companies.models`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field as PydanticField
from pydantic import StringConstraints
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from labsys.bounds import RecordId
from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = [
    "AnalysisTrigger",
    "EarlyRun",
    "Run",
    "RunAnalysis",
    "RunBase",
    "RunCreate",
    "RunInstrument",
    "RunLive",
    "RunPublic",
    "RunStatus",
    "RunsPublic",
    "Verdict",
    "run_snapshot",
]


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


class EarlyRun(SQLModel):
    """An engineer's explicit override to run before the booking's slot begins, and why (kept in the audit trail)."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)] = PydanticField(
        description="why the run cannot wait for the slot, e.g. the customer asked for it and the instrument is free"
    )


class RunCreate(SQLModel):
    """A run to queue: which booking and sample, with which parameters (method defaults fill the rest).

    A run before the booking's slot begins is refused unless ``early`` carries the reason for starting it early.
    """

    booking: RecordId = PydanticField(description="booking id")
    sample: RecordId = PydanticField(description="sample id (one of the booking's samples)")
    parameters: dict[str, float] = PydanticField(default_factory=dict, description="parameter name → value in its unit")
    early: EarlyRun | None = PydanticField(
        default=None, description="needed to run before the booking's slot begins: the reason, kept in the audit trail"
    )


class RunBase(SQLModel):
    """Who ran what on which sample, how far it got, what its data file's digest is, and what it found.

    ``parameters`` is ``{name: {value, unit}}``; ``metrics`` is ``{name: {value, expanded_uncertainty,
    coverage_factor, units, lower_limit, upper_limit, verdict}}``.
    """

    booking_id: int = Field(foreign_key="booking.id", index=True)
    sample_id: int = Field(foreign_key="sample.id")
    engineer_id: int = Field(foreign_key="user.id")
    parameters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: RunStatus = Field(default=RunStatus.QUEUED, sa_type=enum_type(RunStatus), index=True)
    progress: float = 0.0
    station: str | None = Field(default=None, max_length=100, index=True)
    abort_requested: bool = False
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hdf5_sha256: str | None = Field(default=None, max_length=64)
    rows_committed: int = 0
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    verdict: Verdict | None = Field(default=None, sa_type=enum_type(Verdict))
    failure_reason: str = Field(default="", max_length=2000)


class Run(RunBase, table=True):
    """A procedure run; its HDF5 file lives at ``hdf5_path`` in the lab's data folder.

    ``live_preview`` is what its page plots while it runs: a min/max preview of the data so far, in the shape of
    the file's preview, stored by the station with its progress and cleared when the run ends.
    """

    id: int | None = Field(default=None, primary_key=True)
    method_id: int = Field(foreign_key="test_method.id")
    hdf5_path: str | None = Field(default=None, max_length=500)
    live_preview: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))


class RunPublic(RunBase):
    """A run's status, progress and results, with its method's code and its instruments' asset tags."""

    id: int
    method_code: str
    instruments: list[str]


class RunsPublic(SQLModel):
    """A page of runs, newest first, and how many there are in all."""

    data: list[RunPublic]
    count: int


class RunLive(SQLModel):
    """Where a run is, as a page following it asks every half second: its status, progress and verdict, and
    while it runs its live preview (None once it has ended: the file's preview replaces it)."""

    id: int
    status: RunStatus
    progress: float
    rows_committed: int
    verdict: Verdict | None
    preview: dict[str, Any] | None


class RunInstrument(SQLModel, table=True):
    """An instrument a run uses (a station claims runs whose instruments are all its own)."""

    __tablename__ = "run_instrument"

    run_id: int = Field(foreign_key="run.id", primary_key=True)
    instrument_id: int = Field(foreign_key="instrument.id", primary_key=True)


class AnalysisTrigger(StrEnum):
    """Why a run was analysed: by its station when it ended, or again later from its file."""

    STATION = "station"
    REANALYSIS = "reanalysis"


class RunAnalysis(SQLModel, table=True):
    """One version of a run's analysis: version 1 is its station's, when the run ended; each reanalysis of the
    stored file adds the next. Rows are never changed: the versions side by side are the run's analysis history.

    ``metrics`` has the shape of ``Run.metrics`` (budgets included); ``inputs`` is ``{"parameters": {name: {value,
    units}}, "constants": {...}}``, what the analysis read besides the data; ``file_sha256`` the digest of the
    file it read. A version 1 recorded before analyses were versioned names no program (empty strings).
    """

    __tablename__ = "run_analysis"
    __table_args__ = (UniqueConstraint("run_id", "version", name="uq_run_analysis_run_id_version"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    version: int
    program: str = Field(default="", max_length=300)
    program_version: str = Field(default="", max_length=50)
    triggered_by: AnalysisTrigger = Field(sa_type=enum_type(AnalysisTrigger))
    actor: str = Field(max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    file_sha256: str | None = Field(default=None, max_length=64)
    inputs: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    verdict: Verdict | None = Field(default=None, sa_type=enum_type(Verdict))


def run_snapshot(run: Run) -> dict[str, Any]:
    """What the audit trail keeps of a run (its progress and live preview, which change every half second, it
    leaves out)."""
    return run.model_dump(exclude={"progress", "live_preview"})

"""The catalog of test methods the lab offers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = ["DecisionRule", "TestMethod"]


class DecisionRule(StrEnum):
    """How a result is compared with the spec limits (ILAC-G8:2019)."""

    SIMPLE = "simple"
    GUARD_BAND = "guard_band"


class TestMethod(SQLModel, table=True):
    """A test the lab offers: what it measures, with what, against which limits, for what fee.

    ``parameters`` is a list of ``{name, unit, default, minimum, maximum, description}``; ``spec_limits`` a list
    of ``{metric, unit, lower, upper}`` (either bound may be null); ``uncertainty`` a list of
    ``{metric, unit, expanded, k}`` figures from the lab's uncertainty budget.
    """

    __test__ = False  # not a pytest test class, despite its name
    __tablename__ = "test_method"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    version: int = 1
    title: str = Field(max_length=200)
    standard: str = Field(max_length=200)
    procedure: str = Field(max_length=100)
    instrument_kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    parameters: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    spec_limits: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    decision_rule: DecisionRule = Field(default=DecisionRule.SIMPLE, sa_type=enum_type(DecisionRule))
    uncertainty: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    duration_min: int = Field(gt=0)
    turnaround_days: int = Field(default=7, gt=0)
    fee_krw: int = Field(ge=0)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

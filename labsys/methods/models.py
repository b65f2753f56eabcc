"""The catalog of test methods the lab offers, as a SQLModel family (see :mod:`labsys.companies.models`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import computed_field
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from labsys.bounds import DB_INT_MAX, MONEY_MAX_KRW
from labsys.db.types import MONEY_KRW, UTCDateTime, enum_type, utcnow
from labsys.methods.parts import MethodParameter, SpecLimit, UncertaintyFigure

__all__ = [
    "MAX_DURATION_MIN",
    "MAX_TURNAROUND_DAYS",
    "DecisionRule",
    "TestMethod",
    "TestMethodBase",
    "TestMethodCreate",
    "TestMethodPublic",
    "method_snapshot",
]


#: The longest work a method may take on its instruments (a week), and the longest turnaround it may promise
#: (a year): beyond them a slot or a due date would be searched for without end.
MAX_DURATION_MIN = 7 * 24 * 60
MAX_TURNAROUND_DAYS = 365


class DecisionRule(StrEnum):
    """How a result is compared with the spec limits (ILAC-G8:2019)."""

    SIMPLE = "simple"
    GUARD_BAND = "guard_band"


class TestMethodBase(SQLModel):
    """A test the lab offers: what it measures, with what, under which decision rule, for how long and what fee."""

    __test__ = False  # not a pytest test class, despite its name

    # ``schema_extra``: SQLModel hands ``regex=`` to pydantic 2 under a name it ignores, so the code went unchecked.
    code: str = Field(min_length=1, max_length=40, schema_extra={"pattern": r"^[A-Z0-9][A-Z0-9-]*$"})
    version: int = Field(default=1, gt=0, le=DB_INT_MAX)
    title: str = Field(min_length=1, max_length=200)
    standard: str = Field(min_length=1, max_length=200)
    procedure: str = Field(min_length=1, max_length=100)
    instrument_kinds: list[str] = Field(min_length=1, sa_column=Column(JSON, nullable=False))
    decision_rule: DecisionRule = Field(default=DecisionRule.SIMPLE, sa_type=enum_type(DecisionRule))
    duration_min: int = Field(gt=0, le=MAX_DURATION_MIN)
    turnaround_days: int = Field(default=7, gt=0, le=MAX_TURNAROUND_DAYS)
    fee_krw: int = Field(ge=0, le=MONEY_MAX_KRW, sa_type=MONEY_KRW)


class TestMethodCreate(TestMethodBase):
    """A method added to the catalog."""

    __test__ = False

    parameters: list[MethodParameter] = Field(default_factory=list)
    spec_limits: list[SpecLimit] = Field(default_factory=list)
    uncertainty: list[UncertaintyFigure] = Field(default_factory=list)


class TestMethod(TestMethodBase, table=True):
    """A method in the catalog. ``parameters``, ``spec_limits`` and ``uncertainty`` hold the JSON of the parts in
    :mod:`labsys.methods.parts`."""

    __test__ = False
    __tablename__ = "test_method"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    parameters: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    spec_limits: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    uncertainty: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


#: The largest share of a limit's tolerance (half the span between two limits) the validated U may take: a test
#: uncertainty ratio of at least 4:1, the common rule for a verdict worth its cost.
MAX_UNCERTAINTY_SHARE = 0.25


class TestMethodPublic(TestMethodCreate):
    """A method as the catalog shows it."""

    __test__ = False

    id: int
    active: bool

    @computed_field(  # type: ignore[prop-decorator]  # pydantic's documented way on a property
        description="the metrics whose validated uncertainty exceeds a quarter of their tolerance (half the span "
        "between their limits): a verdict on them is often inconclusive"
    )
    @property
    def coarse_uncertainty(self) -> list[str]:
        """The metrics whose validated U is more than :data:`MAX_UNCERTAINTY_SHARE` of their tolerance."""
        figures = {f.metric: f for f in (UncertaintyFigure.model_validate(u) for u in self.uncertainty)}
        coarse = []
        for limit in (SpecLimit.model_validate(s) for s in self.spec_limits):
            figure = figures.get(limit.metric)
            if figure is None or limit.lower is None or limit.upper is None:
                continue  # a one-sided limit has no tolerance to compare with
            half_span = (limit.upper - limit.lower) / 2
            expanded = figure.expanded * (max(abs(limit.lower), abs(limit.upper)) if figure.relative else 1.0)
            if expanded > MAX_UNCERTAINTY_SHARE * half_span:
                coarse.append(limit.metric)
        return coarse


def method_snapshot(method: TestMethod) -> dict[str, Any]:
    """What the audit trail keeps of a method."""
    return method.model_dump(exclude={"created_at"})

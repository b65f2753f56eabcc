"""What the API takes and gives for test methods."""

from __future__ import annotations

from pydantic import Field, model_validator
from sqlmodel import SQLModel

from labsys.methods.models import DecisionRule

__all__ = ["MethodParameter", "SpecLimit", "TestMethodCreate", "TestMethodPublic", "UncertaintyFigure"]


class MethodParameter(SQLModel):
    """A parameter an engineer sets for a run, with its unit and the range the method allows."""

    name: str = Field(min_length=1, max_length=60)
    unit: str = Field(default="", max_length=20)
    default: float
    minimum: float
    maximum: float
    description: str = ""

    @model_validator(mode="after")
    def _default_within_limits(self) -> MethodParameter:
        if not self.minimum <= self.default <= self.maximum:
            msg = f"{self.name}: the default {self.default} lies outside [{self.minimum}, {self.maximum}]"
            raise ValueError(msg)
        return self


class SpecLimit(SQLModel):
    """An acceptance criterion on one metric; a missing bound means no limit on that side."""

    metric: str = Field(min_length=1, max_length=60)
    unit: str = Field(default="", max_length=20)
    lower: float | None = None
    upper: float | None = None

    @model_validator(mode="after")
    def _one_bound_at_least(self) -> SpecLimit:
        if self.lower is None and self.upper is None:
            msg = f"{self.metric}: a spec limit needs a lower or an upper bound"
            raise ValueError(msg)
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            msg = f"{self.metric}: the lower limit exceeds the upper"
            raise ValueError(msg)
        return self


class UncertaintyFigure(SQLModel):
    """The lab's expanded measurement uncertainty for one metric, with its coverage factor."""

    metric: str
    unit: str = ""
    expanded: float = Field(ge=0)
    k: float = Field(default=2.0, gt=0)
    relative: bool = Field(default=False, description="expanded is a fraction of the value, not an absolute")


class TestMethodCreate(SQLModel):
    """A method added to the catalog."""

    __test__ = False

    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    version: int = Field(default=1, gt=0)
    title: str = Field(min_length=1, max_length=200)
    standard: str = Field(min_length=1, max_length=200)
    procedure: str = Field(min_length=1, max_length=100)
    instrument_kinds: list[str] = Field(min_length=1)
    parameters: list[MethodParameter] = Field(default_factory=list)
    spec_limits: list[SpecLimit] = Field(default_factory=list)
    decision_rule: DecisionRule = DecisionRule.SIMPLE
    uncertainty: list[UncertaintyFigure] = Field(default_factory=list)
    duration_min: int = Field(gt=0)
    turnaround_days: int = Field(default=7, gt=0)
    fee_krw: int = Field(ge=0)


class TestMethodPublic(TestMethodCreate):
    """A method as the catalog shows it."""

    __test__ = False

    id: int
    active: bool

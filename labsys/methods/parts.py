"""The parts of a test method: its parameters, spec limits and uncertainty figures."""

from __future__ import annotations

from pydantic import Field, model_validator
from sqlmodel import SQLModel

__all__ = ["MethodParameter", "SpecLimit", "UncertaintyFigure"]


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

"""What a station runs for a method: the procedure, and the analysis of what it measured."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from procedures.base import LabProcedure
from procedures.sink import MemorySink
from results.analysis import Metric

__all__ = ["Analysis", "MethodProgram"]

#: Turns a run's data (and its exact parameters) into metrics with expanded uncertainty.
Analysis = Callable[[MemorySink, Mapping[str, float]], dict[str, Metric]]


@dataclass(frozen=True)
class MethodProgram:
    """The procedure a catalog method names (``TestMethod.procedure``) and its analysis."""

    procedure: type[LabProcedure]
    analyse: Analysis

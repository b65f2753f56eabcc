"""What a station runs for a method: the procedure, and the analysis of what it measured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from labsys.runs.analysis import Analysis, MethodAnalysis
from procedures.base import LabProcedure
from results.hdf5 import Quantity

__all__ = ["Analysis", "MethodProgram"]


@dataclass(frozen=True)
class MethodProgram:
    """The procedure a catalog method names (``TestMethod.procedure``) and its analysis.

    The analysis reads the run's closed file (:class:`results.hdf5.RunData`), never a copy the station kept, so
    a run can be analysed again from its file alone.

    Attributes:
        procedure: The procedure that measures.
        analyse: The analysis of the run file it wrote.
        constants: The analysis's constants (instrument accuracies, margins), recorded with each analysis.
    """

    procedure: type[LabProcedure]
    analyse: Analysis
    constants: Mapping[str, Quantity] = field(default_factory=dict)

    @property
    def analysis(self) -> MethodAnalysis:
        """The analysis with its constants."""
        return MethodAnalysis(self.analyse, self.constants)

"""A run's analysis from its closed file: the method's analysis reads the file, the lab's floors and decision rule
judge what it found, and the program, its version and every input it used are recorded beside the metrics.

The station analyses a run this way as soon as its data is closed; ``labsys runs reanalyse`` does it again later
from the stored file alone (:mod:`labsys.runs.reanalysis`). Both read the parameters from the file, not from the
database, so an analysis depends on nothing but the file and the analysis program.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import labsys
from labsys.db.types import utcnow
from labsys.methods.models import TestMethod
from labsys.runs.models import AnalysisTrigger, RunAnalysis, Verdict
from labsys.runs.verdicts import floored, judge, metrics_record
from results.analysis import Assessment, Metric
from results.hdf5 import AnalysisProcess, Quantity, RunData

__all__ = ["Analysis", "AnalysisResult", "MethodAnalysis", "analyse_run_file", "analysis_version"]

#: Turns a run's data, read from its closed file, and its exact parameters into metrics with expanded uncertainty.
Analysis = Callable[[RunData, Mapping[str, float]], dict[str, Metric]]


@dataclass(frozen=True)
class MethodAnalysis:
    """A method's analysis and the constants it uses (instrument accuracies, margins), recorded with each result.

    Attributes:
        analyse: The analysis.
        constants: Its inputs besides the run's data and parameters, with units.
    """

    analyse: Analysis
    constants: Mapping[str, Quantity] = field(default_factory=dict)

    @property
    def program(self) -> str:
        """The analysis's full name, e.g. ``labsys.stations.analyses.analyse_step``."""
        return f"{self.analyse.__module__}.{self.analyse.__qualname__}"


@dataclass(frozen=True)
class AnalysisResult:
    """What an analysis of a run file found, judged, and what produced it."""

    metrics: dict[str, Metric]
    assessment: Assessment
    process: AnalysisProcess


def analyse_run_file(path: Path, method: TestMethod, analysis: MethodAnalysis) -> AnalysisResult:
    """Analyse a closed run file: metrics (U floored at the method's validated figures), judged under its rule.

    Runs outside any transaction: it reads the whole file.

    Raises:
        OSError: The file cannot be opened.
        ValueError, KeyError, RunFileError: The file does not hold what the analysis needs, or the analysis
            failed (a fit that does not converge, a record without a step).
    """
    with RunData.open(path) as data:
        metrics = floored(method, analysis.analyse(data, data.numeric_parameters()))
        process = AnalysisProcess(
            program=analysis.program,
            version=labsys.__version__,
            date=utcnow(),
            parameters=dict(data.parameters),
            constants=dict(analysis.constants),
        )
    return AnalysisResult(metrics, judge(method, metrics), process)


def _quantities(values: Mapping[str, Quantity]) -> dict[str, dict[str, Any]]:
    return {name: {"value": q.value, "units": q.units} for name, q in values.items()}


def analysis_version(
    result: AnalysisResult, *, run_id: int, version: int, triggered_by: AnalysisTrigger, actor: str, file_sha256: str
) -> RunAnalysis:
    """The database record of an analysis of a run's file: its metrics (budgets included), verdict, program,
    version and inputs, as version ``version`` of the run's analysis."""
    process = result.process
    return RunAnalysis(
        run_id=run_id,
        version=version,
        program=process.program,
        program_version=process.version,
        triggered_by=triggered_by,
        actor=actor,
        created_at=process.date,
        file_sha256=file_sha256,
        inputs={"parameters": _quantities(process.parameters), "constants": _quantities(process.constants)},
        metrics=metrics_record(result.metrics, result.assessment),
        verdict=Verdict(result.assessment.verdict.value),
    )

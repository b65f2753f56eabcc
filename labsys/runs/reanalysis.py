"""Reanalysing a run from its stored file: the method's analysis runs again and its result is kept as a new version.

A reanalysis never changes the run: not its file (whose SHA-256 the certificates cite, and which is checked
against the recorded digest before it is read), and not ``Run.metrics`` or ``Run.verdict``. Those stay version 1,
the station's analysis, which is what a review approved and a certificate states; a reviewer, a customer or the
next certificate would otherwise meet a different result under the same run without anyone deciding it. The new
version is kept beside the earlier ones in ``run_analysis`` and audited, so a changed result is visible and can
be taken up deliberately (an amended certificate), never silently.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from labsys.audit import Actor, record
from labsys.db import Database
from labsys.errors import Conflict, NotFound
from labsys.methods.models import TestMethod
from labsys.runs.analysis import MethodAnalysis, analyse_run_file, analysis_version
from labsys.runs.data import run_file
from labsys.runs.models import AnalysisTrigger, Run, RunAnalysis, RunStatus
from results.hdf5 import sha256_file

__all__ = ["MetricComparison", "Reanalysis", "reanalyse_run"]

#: Values that differ by less than this fraction are the same result, up to floating-point rounding.
ROUNDING = 1e-9


@dataclass(frozen=True)
class MetricComparison:
    """One metric in the reference version and in the new one (``None`` where a version has no such metric).

    ``before`` and ``after`` are the metrics as the database keeps them (value, expanded_uncertainty, units…).
    """

    name: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def agreement(self) -> str:
        """``same`` (to rounding), ``within U`` (of the reference), ``differs``, or ``missing`` in one version."""
        if self.before is None or self.after is None:
            return "missing"
        old, new = float(self.before["value"]), float(self.after["value"])
        old_u, new_u = self.before.get("expanded_uncertainty"), self.after.get("expanded_uncertainty")
        if _same(old, new) and (old_u == new_u or (old_u is not None and new_u is not None and _same(old_u, new_u))):
            return "same"
        if old_u is not None and abs(new - old) <= float(old_u):
            return "within U"
        return "differs"


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=ROUNDING, abs_tol=0.0) or a == b


@dataclass(frozen=True)
class Reanalysis:
    """A run's new analysis beside its reference (version 1, the run's result), metric by metric."""

    run_id: int
    method_code: str
    file_sha256: str
    reference: RunAnalysis
    new: RunAnalysis
    metrics: list[MetricComparison]

    @property
    def agrees(self) -> bool:
        """Whether every metric is the same or within the reference's U, and the verdict is the same."""
        return self.reference.verdict == self.new.verdict and all(
            m.agreement in {"same", "within U"} for m in self.metrics
        )

    @property
    def reproduces(self) -> bool:
        """Whether every metric and the verdict are the same, to rounding."""
        return self.reference.verdict == self.new.verdict and all(m.agreement == "same" for m in self.metrics)


def _completed_run(session: Session, run_id: int, data_dir: Path) -> tuple[Run, TestMethod, Path]:
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"run {run_id} not found")
    if run.status != RunStatus.COMPLETED:
        raise Conflict(f"run {run_id} is {run.status.value}: only a completed run's analysis can be reanalysed")
    method = session.get(TestMethod, run.method_id)
    assert method is not None  # noqa: S101 - a foreign key
    session.expunge(method)
    return run, method, run_file(run, data_dir)


def _versions(session: Session, run_id: int) -> tuple[RunAnalysis, int]:
    """The run's reference analysis (version 1) and the next version's number."""
    reference = session.exec(
        select(RunAnalysis).where(RunAnalysis.run_id == run_id, RunAnalysis.version == 1)
    ).one_or_none()
    if reference is None:
        raise Conflict(f"run {run_id} has no recorded analysis to compare with")
    latest = session.exec(select(func.max(col(RunAnalysis.version))).where(RunAnalysis.run_id == run_id)).one()
    return reference, int(latest or 1) + 1


def reanalyse_run(
    *, db: Database, data_dir: Path, run_id: int, analyses: Mapping[str, MethodAnalysis], actor: Actor
) -> Reanalysis:
    """Analyse a completed run again from its stored file and keep the result as the run's next analysis version.

    The file is read after its SHA-256 is checked against the one recorded when the run ended; the analysis runs
    outside any transaction. The run itself is not changed (see the module).

    Args:
        analyses: The analysis of each procedure (``TestMethod.procedure``), as the stations run them.

    Raises:
        NotFound: No such run, or its file is gone.
        Conflict: The run did not complete, has no recorded analysis, no analysis is known for its method, or its
            file is not the one recorded (changed since the run ended).
        ValueError, RunFileError: The analysis failed on the file.
    """
    with db.reading() as session:
        run, method, path = _completed_run(session, run_id, data_dir)
    analysis = analyses.get(method.procedure)
    if analysis is None:
        raise Conflict(f"no analysis is known for the procedure {method.procedure!r} of {method.code}")
    digest = sha256_file(path)
    if digest != run.hdf5_sha256:
        raise Conflict(f"the file of run {run_id} is not the one recorded when it ended (SHA-256 {digest})")
    result = analyse_run_file(path, method, analysis)
    with db.writing() as session:
        reference, version = _versions(session, run_id)
        new = analysis_version(
            result,
            run_id=run_id,
            version=version,
            triggered_by=AnalysisTrigger.REANALYSIS,
            actor=actor.name,
            file_sha256=digest,
        )
        session.add(new)
        names = list(dict.fromkeys([*reference.metrics, *new.metrics]))
        comparisons = [MetricComparison(n, reference.metrics.get(n), new.metrics.get(n)) for n in names]
        outcome = Reanalysis(run_id, method.code, digest, reference, new, comparisons)
        record(
            session,
            actor=actor,
            action="run.reanalysed",
            entity_type="run",
            entity_id=run_id,
            after={
                "version": version,
                "program": new.program,
                "program_version": new.program_version,
                "file_sha256": digest,
                "verdict": new.verdict,
                "reproduces_version_1": outcome.reproduces,
                "metrics": new.metrics,
            },
        )
    return outcome

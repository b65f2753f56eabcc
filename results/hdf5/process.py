"""``/entry/analysis``: the run's analysis as an NXprocess, written once and read back as plain data.

    /entry/analysis           NXprocess; attrs verdict, decision_rule (when judged)
      program                 the analysis that ran, e.g. labsys.stations.analyses.analyse_step
      version                 the version of the software it belongs to
      date                    when it ran (ISO 8601, UTC)
      parameters              NXparameters: the run's parameters as the analysis read them, attr units
      constants               NXparameters: the analysis's own inputs (instrument accuracies, margins), attr units
      <metric>                scalar float64; attrs units, expanded_uncertainty, coverage_factor and, when judged,
                              verdict, lower_limit, upper_limit
      <metric>_errors         the expanded uncertainty U, in the metric's units (NeXus ``_errors``)
      <metric>_budget         if the metric has a budget: one compound row per contribution (source,
                              standard_uncertainty, degrees_of_freedom, evaluation, distribution), attr units

A file written before analyses were NXprocess groups holds an NXcollection of metrics and their ``_errors`` only;
it reads the same, without a process.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import h5py
import numpy as np

from results.analysis.budget import Contribution, Distribution, EvaluationType
from results.analysis.model import Metric
from results.hdf5 import layout
from results.hdf5.model import (
    AnalysisProcess,
    InvalidRunDataError,
    StoredAssessment,
    StoredContribution,
    StoredMetric,
    check_hdf5_name,
)

__all__ = ["BUDGET_SUFFIX", "StoredAnalysis", "read_analysis", "write_analysis_group"]

#: Suffix of the dataset holding a metric's uncertainty budget.
BUDGET_SUFFIX = "_budget"

_PROCESS_FIELDS = frozenset({"program", "version", "date", "sequence_index", "parameters", "constants"})

_BUDGET_DTYPE = np.dtype(
    [
        ("source", h5py.string_dtype()),
        ("standard_uncertainty", np.float64),
        ("degrees_of_freedom", np.float64),
        ("evaluation", h5py.string_dtype()),
        ("distribution", h5py.string_dtype()),
    ]
)


@dataclass(frozen=True)
class StoredAnalysis:
    """What ``/entry/analysis`` holds.

    Attributes:
        metrics: Metrics by name, each with its budget where the file has one.
        verdicts: Verdict per judged metric.
        verdict: The run's verdict, if judged.
        decision_rule: The decision rule, if judged.
        process: The program, version, date and inputs; ``None`` in files written before analyses recorded them.
    """

    metrics: dict[str, Metric] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)
    verdict: str | None = None
    decision_rule: str | None = None
    process: AnalysisProcess | None = None


def _write_process(group: h5py.Group, process: AnalysisProcess) -> None:
    group.create_dataset("program", data=process.program)
    group.create_dataset("version", data=process.version)
    group.create_dataset("date", data=layout.iso_utc(process.date))
    layout.write_quantities(group, "parameters", process.parameters)
    layout.write_quantities(group, "constants", process.constants)


def _write_budget(group: h5py.Group, name: str, units: str, budget: Sequence[StoredContribution]) -> None:
    rows = [
        (c.source, c.standard_uncertainty, c.degrees_of_freedom, str(c.evaluation), str(c.distribution)) for c in budget
    ]
    dataset = group.create_dataset(f"{name}{BUDGET_SUFFIX}", data=np.array(rows, dtype=_BUDGET_DTYPE))
    dataset.attrs["units"] = units


def _check_names(metrics: Sequence[StoredMetric]) -> None:
    """Refuse, before anything is written, a metric whose name or derived names another object takes."""
    taken = set(_PROCESS_FIELDS)
    for metric in metrics:
        name = check_hdf5_name(metric.name, "metric")
        derived = {name, f"{name}{layout.ERRORS_SUFFIX}", f"{name}{BUDGET_SUFFIX}"}
        if derived & taken:
            raise InvalidRunDataError(f"metric {name!r} collides with another metric, its derived data or the process")
        taken |= derived


def _write_metric(group: h5py.Group, metric: StoredMetric) -> None:
    name = metric.name
    dataset = group.create_dataset(name, data=np.float64(metric.value))
    dataset.attrs["units"] = metric.units
    dataset.attrs["expanded_uncertainty"] = np.float64(metric.expanded_uncertainty)
    dataset.attrs["coverage_factor"] = np.float64(metric.coverage_factor)
    errors = group.create_dataset(f"{name}{layout.ERRORS_SUFFIX}", data=np.float64(metric.expanded_uncertainty))
    errors.attrs["units"] = metric.units
    errors.attrs["coverage_factor"] = np.float64(metric.coverage_factor)
    budget: Sequence[StoredContribution] = getattr(metric, "budget", ())
    if budget:
        _write_budget(group, name, metric.units, budget)


def write_analysis_group(
    file: h5py.File,
    metrics: Iterable[StoredMetric],
    assessment: StoredAssessment | None,
    process: AnalysisProcess | None = None,
) -> None:
    """Create ``/entry/analysis``: the process, one scalar dataset per metric with its ``_errors`` and budget,
    verdicts when assessed. Verdicts and the decision rule are stored as their text (``str()`` of a ``StrEnum``).

    Raises:
        InvalidRunDataError: If the analysis exists already, a metric's name collides, or a verdict names a
            metric not written.
    """
    if "analysis" in file[layout.ENTRY]:
        raise InvalidRunDataError("the analysis of this run was already written")
    metrics = list(metrics)
    _check_names(metrics)
    if assessment is not None and not set(assessment.metric_verdicts) <= {m.name for m in metrics}:
        raise InvalidRunDataError("a verdict names a metric that is not in the metrics written")
    group = layout.nx_group(file[layout.ENTRY], "analysis", "NXprocess")
    if process is not None:
        _write_process(group, process)
    for metric in metrics:
        _write_metric(group, metric)
    if assessment is None:
        return
    group.attrs["verdict"] = str(assessment.verdict)
    group.attrs["decision_rule"] = str(assessment.rule)
    for name, verdict in assessment.metric_verdicts.items():
        attrs = group[name].attrs
        attrs["verdict"] = str(verdict)
        limits = assessment.limits[name]
        if limits.lower is not None:
            attrs["lower_limit"] = np.float64(limits.lower)
        if limits.upper is not None:
            attrs["upper_limit"] = np.float64(limits.upper)


def _read_budget(dataset: h5py.Dataset) -> tuple[Contribution, ...]:
    text = layout.text_of
    return tuple(
        Contribution(
            text(row["source"]),
            float(row["standard_uncertainty"]),
            float(row["degrees_of_freedom"]),
            EvaluationType(text(row["evaluation"])),
            Distribution(text(row["distribution"])),
        )
        for row in dataset[()]
    )


def _read_metric(group: h5py.Group, name: str, dataset: h5py.Dataset) -> Metric:
    attrs = dataset.attrs
    budget_key = f"{name}{BUDGET_SUFFIX}"
    return Metric(
        name,
        float(dataset[()]),
        float(attrs["expanded_uncertainty"]),
        float(attrs["coverage_factor"]),
        layout.text_of(attrs["units"]),
        _read_budget(group[budget_key]) if budget_key in group else (),
    )


def _read_process(group: h5py.Group) -> AnalysisProcess | None:
    if "program" not in group:
        return None

    def quantities(key: str) -> dict[str, Any]:
        return {name: layout.read_quantity(ds) for name, ds in group[key].items()} if key in group else {}

    return AnalysisProcess(
        program=layout.text_of(group["program"][()]),
        version=layout.text_of(group["version"][()]),
        date=datetime.fromisoformat(layout.text_of(group["date"][()])),
        parameters=quantities("parameters"),
        constants=quantities("constants"),
    )


def read_analysis(entry: h5py.Group) -> StoredAnalysis:
    """Read ``/entry/analysis`` (an NXprocess, or an older file's NXcollection); empty if the run has none."""
    if "analysis" not in entry:
        return StoredAnalysis()
    group = entry["analysis"]
    metrics, verdicts = {}, {}
    for name, item in group.items():
        # A metric is the scalar that carries its U; _errors, _budget and the process's fields do not.
        if not isinstance(item, h5py.Dataset) or "expanded_uncertainty" not in item.attrs:
            continue
        metrics[name] = _read_metric(group, name, item)
        if "verdict" in item.attrs:
            verdicts[name] = layout.text_of(item.attrs["verdict"])
    overall = {key: layout.text_of(group.attrs[key]) for key in ("verdict", "decision_rule") if key in group.attrs}
    return StoredAnalysis(metrics, verdicts, overall.get("verdict"), overall.get("decision_rule"), _read_process(group))

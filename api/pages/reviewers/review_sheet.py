"""What a reviewer reads before approving a booking: each run with its results as the report will print them,
and what departs from the method's defaults or will not be reported."""

from __future__ import annotations

from dataclasses import dataclass

from labsys.bookings.models import BookingPublic
from labsys.certificates.conformity import ReportedResult, reported_results
from labsys.methods.models import TestMethodPublic
from labsys.runs.models import RunPublic, RunStatus

__all__ = ["ChangedCondition", "ReviewSheet", "RunSheet", "review_sheet"]


@dataclass(frozen=True)
class RunSheet:
    """A run as the reviewer reads it."""

    run: RunPublic
    sample: str
    results: list[ReportedResult]

    @property
    def reportable(self) -> bool:
        """Whether a certificate may state it: it completed and its data file has a digest."""
        return self.run.status == RunStatus.COMPLETED and bool(self.run.hdf5_sha256)


@dataclass(frozen=True)
class ChangedCondition:
    """A condition a run was set to other than the method's default."""

    run: int
    name: str
    value: float
    default: float
    unit: str


@dataclass(frozen=True)
class ReviewSheet:
    """A booking's runs, oldest first, the conditions changed from the defaults, and the runs that did not
    complete (a certificate states none of them)."""

    runs: list[RunSheet]
    changed: list[ChangedCondition]
    unreported: list[RunPublic]

    @property
    def reportable(self) -> list[RunSheet]:
        """The runs a certificate may state."""
        return [sheet for sheet in self.runs if sheet.reportable]


def _changed(run: RunPublic, method: TestMethodPublic) -> list[ChangedCondition]:
    defaults = {parameter.name: parameter for parameter in method.parameters}
    changed = []
    for name, setting in run.parameters.items():
        declared = defaults.get(name)
        if declared is not None and float(setting["value"]) != declared.default:
            changed.append(ChangedCondition(run.id, name, float(setting["value"]), declared.default, declared.unit))
    return changed


def review_sheet(booking: BookingPublic, method: TestMethodPublic, runs: list[RunPublic]) -> ReviewSheet:
    """The review of ``booking``'s ``runs`` (any order) under ``method``."""
    labels = {sample.id: sample.label for sample in booking.samples}
    oldest_first = sorted(runs, key=lambda run: run.id)
    return ReviewSheet(
        runs=[RunSheet(run, labels.get(run.sample_id, ""), reported_results(run.metrics)) for run in oldest_first],
        changed=[condition for run in oldest_first for condition in _changed(run, method)],
        unreported=[run for run in oldest_first if run.status != RunStatus.COMPLETED],
    )

"""Plain data a station hands to the run-file writer, and the errors the store raises.

An analysis reaches the file as plain values too (:class:`StoredMetric`, :class:`StoredAssessment`): the run
file stores what an analysis found, not how it judged it, so writing a run file needs neither the decision
rules nor the analyses and the scipy they fit with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

__all__ = [
    "NEXUS_NAME",
    "AnalysisProcess",
    "InstrumentInfo",
    "InvalidRunDataError",
    "Quantity",
    "RunEntry",
    "RunFileError",
    "RunFileWriteError",
    "RunStatus",
    "SampleInfo",
    "StoredAssessment",
    "StoredContribution",
    "StoredLimits",
    "StoredMetric",
    "check_hdf5_name",
    "nexus_name",
]


class RunFileError(Exception):
    """Base of every error the HDF5 store raises."""


class InvalidRunDataError(RunFileError, ValueError):
    """The caller handed data the run file cannot hold (wrong columns, dtype, name, time zone...)."""


class RunFileWriteError(RunFileError):
    """Writing to the run file failed; the file stays readable up to the last flushed block.

    Attributes:
        committed: Rows or points per dataset that were flushed before the failure.
    """

    def __init__(self, message: str, committed: dict[str, int]) -> None:
        super().__init__(f"{message}; committed so far: {committed}")
        self.committed = committed


class RunStatus(StrEnum):
    """Run status as written in ``/entry/status``; ``running`` stays in a file whose writer died."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    ABORTED = "aborted"
    INTERRUPTED = "interrupted"


#: NeXus rule for the name of a group or field (NeXus "Naming Conventions", the recommended form).
NEXUS_NAME = re.compile(r"^[a-zA-Z0-9_]([a-zA-Z0-9_.]*[a-zA-Z0-9_])?$")


def check_hdf5_name(name: str, what: str) -> str:
    """Return ``name`` if it is a valid NeXus name (letters, digits, ``_`` and inner ``.``), else raise
    :class:`InvalidRunDataError`."""
    if not NEXUS_NAME.fullmatch(name):
        raise InvalidRunDataError(f"{what} {name!r} cannot name an object of a NeXus file")
    return name


def nexus_name(text: str, what: str) -> str:
    """The NeXus-valid name for ``text``: each character NeXus forbids (``-``, space, ...) becomes ``_``.

    ``SMU-01`` becomes ``SMU_01``; the original text must be stored beside the object that carries the name.

    Raises:
        InvalidRunDataError: If ``text`` is empty.
    """
    name = re.sub(r"[^a-zA-Z0-9_.]", "_", text).strip(".")
    if not name:
        raise InvalidRunDataError(f"{what} {text!r} gives no NeXus name")
    return name


def require_utc(moment: datetime, what: str) -> datetime:
    """Return ``moment`` if it is timezone-aware UTC, else raise :class:`InvalidRunDataError`."""
    if moment.utcoffset() != timedelta(0):
        raise InvalidRunDataError(f"{what} must be timezone-aware UTC, got {moment!r}")
    return moment


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parameter value with its units, stored exactly (no ``%g`` rounding).

    Attributes:
        value: The value: a float or int is stored as a float64/int64 scalar, a str or bool as such.
        units: Units of ``value`` (``"1"`` for dimensionless, ``""`` for text and flags).
    """

    value: float | int | str | bool
    units: str


@dataclass(frozen=True, slots=True)
class RunEntry:
    """What ``/entry`` says about the run.

    Attributes:
        run_id: Run identifier in the lab database.
        booking_ref: The booking the run belongs to.
        method_code: Test method code.
        method_version: Version of the method definition.
        start_time: When the run started (timezone-aware UTC).
        operator: The engineer running the test.
        software_version: labsys version that wrote the file.
        title: Human-readable title (NeXus ``title``).
    """

    run_id: str
    booking_ref: str
    method_code: str
    method_version: str
    start_time: datetime
    operator: str
    software_version: str
    title: str = ""

    def __post_init__(self) -> None:
        require_utc(self.start_time, "start_time")


@dataclass(frozen=True, slots=True)
class SampleInfo:
    """What ``/entry/sample`` says about the item tested.

    Attributes:
        label: Sample label as received.
        description: Item description as printed on the report.
        condition: Condition on receipt.
    """

    label: str
    description: str
    condition: str


@dataclass(frozen=True, slots=True)
class InstrumentInfo:
    """One instrument used in the run, written to ``/entry/instrument/<asset tag as a NeXus name>``.

    Attributes:
        asset_tag: The lab's asset tag; the group is named from it by :func:`nexus_name` (``SMU-01`` →
            ``SMU_01``) and holds it verbatim in ``asset_tag``.
        kind: Instrument kind (``smu``, ``dmm``, ``scope``, ...).
        manufacturer: Manufacturer as reported by ``*IDN?``.
        model: Model as reported by ``*IDN?``.
        serial: Serial number.
        firmware: Firmware version.
        calibration_due: Calibration due date.
        visa_resource: VISA resource string used.
        calibrated_on: When it was last calibrated, as the equipment record had it when the run started.
        calibration_certificate: The number of that calibration's certificate (``""``: not recorded).
        settings: How the run set the instrument up (ranges, integration time, sense mode, coupling, input
            impedance...): name → value, a name ending in its unit (``nplc``, ``offset_v``, ``input_impedance_ohm``).
    """

    asset_tag: str
    kind: str
    manufacturer: str
    model: str
    serial: str
    firmware: str
    calibration_due: date
    visa_resource: str
    calibrated_on: date | None = None
    calibration_certificate: str = ""
    settings: Mapping[str, float | int | str | bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        nexus_name(self.asset_tag, "asset tag")


class StoredMetric(Protocol):
    """One metric as ``/entry/analysis`` stores it (an analysis's ``Metric`` is one).

    Attributes:
        name: Metric name; names the dataset (no ``/``).
        value: Measured value, in ``units``.
        expanded_uncertainty: Expanded uncertainty U, in ``units``.
        coverage_factor: k of U.
        units: Units of ``value`` and U.
    """

    @property
    def name(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def expanded_uncertainty(self) -> float: ...
    @property
    def coverage_factor(self) -> float: ...
    @property
    def units(self) -> str: ...


class StoredContribution(Protocol):
    """One line of a metric's uncertainty budget (an analysis's ``Contribution`` is one); a metric that has a
    ``budget`` attribute (a sequence of these) has it written beside it.

    Attributes:
        source: The input, in the lab's words.
        standard_uncertainty: Its contribution to the metric's standard uncertainty, in the metric's units.
        degrees_of_freedom: Its degrees of freedom (``inf`` for type B).
        evaluation: ``"A"`` or ``"B"``.
        distribution: ``"normal"``, ``"rectangular"``, ...
    """

    @property
    def source(self) -> str: ...
    @property
    def standard_uncertainty(self) -> float: ...
    @property
    def degrees_of_freedom(self) -> float: ...
    @property
    def evaluation(self) -> str: ...
    @property
    def distribution(self) -> str: ...


@dataclass(frozen=True, slots=True)
class AnalysisProcess:
    """What produced a run's analysis, written to ``/entry/analysis`` as an NXprocess.

    Attributes:
        program: The analysis, e.g. ``labsys.stations.analyses.analyse_step``.
        version: Version of the software the analysis belongs to.
        date: When the analysis ran (timezone-aware UTC).
        parameters: The run's parameters as the analysis read them.
        constants: The analysis's own inputs: instrument accuracies, margins, limits of the method.
    """

    program: str
    version: str
    date: datetime
    parameters: Mapping[str, Quantity]
    constants: Mapping[str, Quantity]

    def __post_init__(self) -> None:
        require_utc(self.date, "analysis date")


class StoredLimits(Protocol):
    """The spec limits a metric was judged against (an analysis's ``SpecLimits`` is one); ``None`` is open."""

    @property
    def lower(self) -> float | None: ...
    @property
    def upper(self) -> float | None: ...


class StoredAssessment(Protocol):
    """A statement of conformity as ``/entry/analysis`` stores it (an analysis's ``Assessment`` is one).

    Attributes:
        verdict: The run's verdict, e.g. ``"pass"``.
        rule: The decision rule used, e.g. ``"guard_band"``.
        metric_verdicts: Verdict per judged metric name.
        limits: Spec limits per judged metric name.
    """

    @property
    def verdict(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def metric_verdicts(self) -> Mapping[str, str]: ...
    @property
    def limits(self) -> Mapping[str, StoredLimits]: ...

"""Plain data for a test report: everything the certificate prints, and nothing it must look up.

The service builds a :class:`ReportData` from its own records (bookings, runs, reviews) and hands it to
:func:`results.certificates.render.render_report`. Every value here is printed as given; physical values carry
their unit next to them. Dates are calendar dates in the lab's local time (Asia/Seoul), because that is how a
report states them. The results a run reports are in :mod:`results.certificates.measurements`, its curves in
:mod:`results.certificates.series`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from results.certificates.measurements import DecisionRule, Measurement
from results.certificates.series import PlotSeries

__all__ = [
    "Amendment",
    "Condition",
    "EquipmentUsed",
    "Laboratory",
    "Party",
    "Person",
    "ReportData",
    "ReportDates",
    "ReportStatus",
    "RunResult",
    "TestItem",
    "TestMethod",
]

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class ReportStatus(StrEnum):
    """The state of a report in the lab's register, as printed on it."""

    DRAFT = "draft"
    ISSUED = "issued"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Laboratory:
    """The issuing laboratory.

    Attributes:
        name: The lab's legal name.
        address: Postal address of the lab.
        accreditation: The accreditation line, e.g. ``"KOLAS accredited testing laboratory No. KT-000"``.
        test_site: Where the tests were done (the lab's premises or a named site).
    """

    name: str
    address: str
    accreditation: str
    test_site: str


@dataclass(frozen=True)
class Party:
    """A company named on the report: applicant (customer), payer or report recipient.

    Attributes:
        name: Company name as registered; Korean is fine (``"(주)한빛소재"``).
        address: Postal address.
        business_registration_number: 사업자등록번호 as printed (``"124-81-00998"``), or ``None``.
    """

    name: str
    address: str
    business_registration_number: str | None = None


@dataclass(frozen=True)
class Person:
    """A member of lab staff named on the report, with their role (``"Technical manager"``)."""

    name: str
    role: str


@dataclass(frozen=True)
class TestMethod:
    """The test method: the lab's code, its title, the standard it implements and the method's version."""

    code: str
    title: str
    standard: str
    version: str


@dataclass(frozen=True)
class TestItem:
    """One item (sample) tested: its label, what it is, its condition when the lab received it, and the number the
    lab registered it under (its unique identification in the lab's records; ``""`` if none)."""

    label: str
    description: str
    condition_on_receipt: str
    lab_number: str = ""


@dataclass(frozen=True)
class ReportDates:
    """The dates a report states (lab-local calendar dates).

    Raises:
        ValueError: if they are out of order (receipt, then test start, test end, issue).
    """

    received: date
    test_started: date
    test_ended: date
    issued: date

    def __post_init__(self) -> None:
        if not self.received <= self.test_started <= self.test_ended <= self.issued:
            raise ValueError("dates must run received <= test started <= test ended <= issued")


@dataclass(frozen=True)
class Amendment:
    """What an amended report replaces (ISO/IEC 17025 7.8.8): the earlier report's number and why."""

    replaces: str
    reason: str


@dataclass(frozen=True)
class Condition:
    """One test condition a run was made under: a parameter of the method as set for the run.

    Attributes:
        name: The parameter in words (``"Compliance current"``).
        value: Its value as set, printed as given (``"0.1"``).
        unit: Its unit symbol, ``""`` for none.
    """

    name: str
    value: str
    unit: str = ""


@dataclass(frozen=True)
class EquipmentUsed:
    """An instrument a run used, with its calibration: what ISO/IEC 17025 7.8 asks a report to name.

    Attributes:
        asset_tag: The lab's identifier of the instrument.
        instrument: Manufacturer and model.
        serial: Serial number.
        calibration_certificate: The number of its calibration certificate (``""``: not recorded).
        calibrated_on: When it was calibrated, if recorded.
        calibration_due: When its calibration runs out, if recorded.
    """

    asset_tag: str
    instrument: str
    serial: str
    calibration_certificate: str = ""
    calibrated_on: date | None = None
    calibration_due: date | None = None


@dataclass(frozen=True)
class RunResult:
    """What one instrument run contributes to a report.

    Attributes:
        run_id: The run's identifier in the lab's records.
        item_label: Label of the :class:`TestItem` the run measured.
        measurements: The results it reports.
        data_sha256: SHA-256 of the run's HDF5 data file, 64 lowercase hex digits.
        series: Curves to plot for this run (may be empty).
        conditions: The test conditions (the method's parameters as set for the run).
        equipment: The instruments it used, with their calibration.

    Raises:
        ValueError: if ``data_sha256`` is not 64 lowercase hex digits.
    """

    run_id: str
    item_label: str
    measurements: tuple[Measurement, ...]
    data_sha256: str
    series: tuple[PlotSeries, ...] = ()
    conditions: tuple[Condition, ...] = ()
    equipment: tuple[EquipmentUsed, ...] = ()

    def __post_init__(self) -> None:
        if not _SHA256_HEX.fullmatch(self.data_sha256):
            raise ValueError("data_sha256 must be 64 lowercase hexadecimal digits")


@dataclass(frozen=True)
class ReportData:
    """Everything a test report prints.

    Attributes:
        number: The certificate's unique number (an amendment has its own, e.g. ``"LS-2025-0042-R1"``).
        status: Its state in the register.
        lab: The issuing lab.
        applicant: The customer who requested the tests (printed as the customer).
        payer: Who pays.
        recipient: Where the report goes.
        method: The test method.
        items: Items tested.
        dates: Receipt, test and issue dates.
        runs: Results per run; at least one.
        decision_rule: The agreed decision rule.
        conformity_statement: The statement of conformity, in words.
        authorised_by: The reviewer who authorised the report.
        tested_by: The engineer who ran the tests; never the same person as ``authorised_by``.
        verification_url: Public page where anyone can check the report (with its verification code); encoded in
            the QR code.
        deviations: Deviations from the method, additions or exclusions; empty means none.
        amendment: Set when this report replaces an earlier one.
        verification_code: The secret printed beside the number that, with it, opens the lab's record of the
            report on the verification page; empty prints none.

    Raises:
        ValueError: with no runs, an unknown item label in a run, or the tester authorising their own work.
    """

    number: str
    status: ReportStatus
    lab: Laboratory
    applicant: Party
    payer: Party
    recipient: Party
    method: TestMethod
    items: tuple[TestItem, ...]
    dates: ReportDates
    runs: tuple[RunResult, ...]
    decision_rule: DecisionRule
    conformity_statement: str
    authorised_by: Person
    tested_by: Person
    verification_url: str
    deviations: tuple[str, ...] = ()
    amendment: Amendment | None = None
    verification_code: str = ""

    def __post_init__(self) -> None:
        if not self.runs:
            raise ValueError("a report states the results of at least one run")
        labels = frozenset(item.label for item in self.items)
        unknown = {run.item_label for run in self.runs} - labels
        if unknown:
            raise ValueError(f"runs refer to items not on the report: {sorted(unknown)}")
        if self.authorised_by.name == self.tested_by.name:
            raise ValueError("the engineer who ran the tests cannot authorise the report")

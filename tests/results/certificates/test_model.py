"""Report data refuses what a valid report could never state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from results.certificates.model import Person, ReportDates, RunResult
from results.certificates.specimen import specimen_report

pytestmark = pytest.mark.unit


def test_specimen_report_is_valid_data() -> None:
    report = specimen_report(runs=2)
    assert len(report.runs) == 2
    assert report.amendment is None


def test_dates_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="received <= test started"):
        ReportDates(date(2025, 3, 12), date(2025, 3, 11), date(2025, 3, 12), date(2025, 3, 14))


def test_the_engineer_who_ran_the_tests_cannot_authorise_the_report() -> None:
    report = specimen_report(runs=1)
    with pytest.raises(ValueError, match="cannot authorise"):
        replace(report, authorised_by=Person(report.tested_by.name, "Technical manager"))


def test_a_report_without_runs_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one run"):
        replace(specimen_report(runs=1), runs=())


def test_a_run_on_an_item_not_on_the_report_is_refused() -> None:
    report = specimen_report(runs=1)
    with pytest.raises(ValueError, match=r"items not on the report: \['S9'\]"):
        replace(report, runs=(replace(report.runs[0], item_label="S9"),))


def test_a_data_digest_that_is_not_sha256_hex_is_refused() -> None:
    with pytest.raises(ValueError, match="64 lowercase hexadecimal"):
        RunResult("R-1", "S1", (), "ABC123")

"""A rendered report carries every item ISO/IEC 17025:2017 7.8.2.1 asks for, on numbered pages."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from results.certificates.layout import DECISION_RULE_TEXT
from results.certificates.measurements import DecisionRule
from results.certificates.model import Amendment, Party, ReportStatus
from results.certificates.render import render_report
from results.certificates.specimen import SPECIMEN_APPLICANT, specimen_report
from tests.results.certificates.poppler import pdf_pages_text, poppler

pytestmark = pytest.mark.integration


def _squash(text: str) -> str:
    """Collapse the layout's runs of spaces and line breaks, so a sentence can be found across a wrap."""
    return re.sub(r"\s+", " ", text)


def test_report_is_a_pdf_of_at_least_two_pages(report_pdf: bytes) -> None:
    assert report_pdf.startswith(b"%PDF-")
    assert len(pdf_pages_text(report_pdf)) >= 2


def test_every_page_shows_the_certificate_number_and_page_x_of_y(report_pdf: bytes) -> None:
    pages = pdf_pages_text(report_pdf)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert "LS-2025-0042" in page
        assert f"Page {number} of {total}" in page


@pytest.mark.parametrize(
    "expected",
    [
        "Test Report",  # title
        "시험성적서",
        "Hanbit Shared Verification Lab",  # lab name
        "55 Gwahak-ro, Yuseong-gu, Daejeon 34141",  # lab address
        "Tests performed at Permanent laboratory, room B-104",  # where the tests were done
        "KOLAS accredited testing laboratory",
        "Applicant (주)한빛소재",  # customer
        "124-81-00998",
        "IR-500 — Insulation resistance at 500 V DC",  # method
        "IEC 60093:1980 (adapted)",  # standard
        "Epoxy-insulated busbar, 400 mm, lot 2025-03",  # item description
        "Intact, sealed in antistatic bag",  # condition on receipt
        "SMP-000311",  # the lab's unique identification of the item
        "Date of receipt 2025-03-10",
        "Date(s) of testing 2025-03-11 to 2025-03-12",
        "Date of issue 2025-03-14",
        "Insulation resistance at 60 s",  # a result ...
        "(k = 2.00)",  # ... with its expanded uncertainty and coverage factor ...
        "MΩ",  # ... and unit
        "Test conditions",  # the conditions the run was made under
        "Test voltage 500 V",
        "Figure 1. Run R-2025-01200: insulation resistance (절연저항): Resistance (MΩ) against Time (s).",
        "Equipment used",  # the instruments, with their calibration
        "IRM-01 Keysight B2987B MY61234567 KOLAS-CAL-2025-0311 2025-01-20 2026-01-19",
        "traceable to the International System of Units (SI)",  # metrological traceability
        "Statement of conformity",
        "The items tested conform to the specified limits",
        "Decision rule: Simple acceptance (ILAC-G8:2019, 4.2.1)",
        "Deviations from the method • None",
        "Authorised by Kim Seo-yeon (김서연), Technical manager",
        "Tested by Park Ji-ho (박지호), Test engineer",
        "The results relate only to the items tested.",
        "https://lab.example.kr/verify?number=LS-2025-0042&code=7K3Q-M9XA-2B8D-TV4N",
    ],
)
def test_report_states_each_required_item(report_pdf: bytes, expected: str) -> None:
    assert expected in _squash("\n".join(pdf_pages_text(report_pdf)))


def test_the_verification_code_is_printed_on_the_first_page_right_below_the_number(report_pdf: bytes) -> None:
    first = pdf_pages_text(report_pdf)[0]
    lines = [" ".join(line.split()) for line in first.splitlines() if line.strip()]
    number_line = next(i for i, line in enumerate(lines) if line.startswith("Certificate No. LS-2025-0042"))

    assert lines[number_line + 1].startswith("Verification code 7K3Q-M9XA-2B8D-TV4N")


def test_a_report_without_a_code_prints_no_code_line() -> None:
    text = "\n".join(pdf_pages_text(render_report(replace(specimen_report(runs=1), verification_code=""))))

    assert "Verification code" not in text


def test_every_run_reports_its_value_uncertainty_and_data_digest(report_pdf: bytes) -> None:
    text = _squash("\n".join(pdf_pages_text(report_pdf)))
    for run in specimen_report(runs=3).runs:
        assert f"Run {run.run_id} — item {run.item_label}" in text
        assert f"{run.run_id} {run.data_sha256}" in text
    assert re.search(r"Insulation resistance at 60 s \d+ ± \d+ \(k = 2\.00\) MΩ ≥ 100 Pass", text)


def test_korean_company_name_comes_out_of_the_pdf_intact(report_pdf: bytes) -> None:
    text = "\n".join(pdf_pages_text(report_pdf))
    assert SPECIMEN_APPLICANT.name == "(주)한빛소재"
    assert SPECIMEN_APPLICANT.name in text
    assert "경기도 안산시 단원구 산단로 123" in text


def test_every_font_in_the_report_is_embedded(report_pdf: bytes) -> None:
    rows = poppler("pdffonts", pdf=report_pdf).splitlines()[2:]
    assert rows, "the report uses no fonts at all"
    for row in rows:
        assert "NanumGothic" in row
        assert row.split()[-5] == "yes", f"not embedded: {row}"


def test_amended_report_names_the_report_it_replaces_and_why() -> None:
    amended = specimen_report(
        runs=1,
        number="LS-2025-0042-R1",
        amendment=Amendment(replaces="LS-2025-0042", reason="The applicant's address was misspelt."),
    )
    text = _squash("\n".join(pdf_pages_text(render_report(amended))))
    assert "This report replaces LS-2025-0042, which is withdrawn." in text
    assert "Reason for the amendment: The applicant's address was misspelt." in text
    assert "Certificate No. LS-2025-0042-R1" in text


def test_deviations_and_guard_band_rule_are_stated_when_they_apply() -> None:
    base = specimen_report(runs=1)
    report = replace(
        base,
        deviations=("Test voltage held for 50 s instead of 60 s at the applicant's request.",),
        decision_rule=DecisionRule.GUARD_BAND,
    )
    text = _squash("\n".join(pdf_pages_text(render_report(report))))
    assert "• Test voltage held for 50 s instead of 60 s at the applicant's request." in text
    assert "• None" not in text
    assert _squash(DECISION_RULE_TEXT[DecisionRule.GUARD_BAND]) in text


def test_company_names_with_markup_characters_are_printed_as_written() -> None:
    report = replace(specimen_report(runs=1), applicant=Party("Kim & Lee <Materials>", "Seoul"))
    assert "Kim & Lee <Materials>" in "\n".join(pdf_pages_text(render_report(report)))


def test_a_draft_is_marked_on_every_page_and_an_issued_report_is_not(report_pdf: bytes) -> None:
    draft = replace(specimen_report(runs=2), status=ReportStatus.DRAFT)
    pages = pdf_pages_text(render_report(draft))
    assert all("DRAFT — not a valid test report" in _squash(page) for page in pages)
    assert "DRAFT" not in "\n".join(pdf_pages_text(report_pdf))

"""The body of a test report: its sections, in the order ISO/IEC 17025:2017 7.8.2.1 lists them."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table

from results.certificates.budget_table import budget_story
from results.certificates.formatting import (
    format_coverage_factor,
    format_date,
    format_limits,
    format_result,
)
from results.certificates.measurements import DecisionRule
from results.certificates.model import Party, ReportData, RunResult
from results.certificates.plots import PLOT_SIZE_IN, plot_png, spans_decades
from results.certificates.qr import QrCode
from results.certificates.series import PlotSeries
from results.certificates.styles import (
    BOX,
    CENTER,
    FIELDS,
    HEADING,
    LABEL,
    QR_SIZE,
    SMALL,
    TITLE,
    fields,
    grid,
    paragraph,
)

__all__ = [
    "DECISION_RULE_TEXT",
    "RESULTS_RELATE_ONLY",
    "TITLE_EN",
    "TITLE_KO",
    "TRACEABILITY",
    "figure_caption",
    "report_story",
]

TITLE_EN = "Test Report"
TITLE_KO = "시험성적서"
RESULTS_RELATE_ONLY = "The results relate only to the items tested."
TRACEABILITY = (
    "Traceability: every instrument used was calibrated, within its calibration interval on the day of testing, by a "
    "calibration laboratory accredited to ISO/IEC 17025 (KOLAS, or a signatory of the ILAC MRA); the results are "
    "thereby traceable to the International System of Units (SI) through national measurement standards."
)
DECISION_RULE_TEXT = {
    DecisionRule.SIMPLE_ACCEPTANCE: (
        "Simple acceptance (ILAC-G8:2019, 4.2.1): a result conforms when the measured value lies within the "
        "specification limits. The measurement uncertainty is reported but not deducted; for a value close to "
        "a limit the probability of a false accept can reach 50 %."
    ),
    DecisionRule.GUARD_BAND: (
        "Guard band w = U (ILAC-G8:2019, 4.2.2): a result is a pass when the measured value lies inside the "
        "specification limits narrowed by its expanded uncertainty U, and a fail when it lies outside them "
        "widened by U; in between it is a conditional pass or fail. The probability of a false accept is "
        "below 2.5 %."
    ),
}


def _title_block(data: ReportData, width: float) -> list[Flowable]:
    code = [("Verification code", data.verification_code)] if data.verification_code else []
    identity = fields(
        [
            ("Certificate No.", data.number),
            *code,
            ("Status", data.status.value.capitalize()),
            ("Date of issue", format_date(data.dates.issued)),
            ("Verify at", data.verification_url),
        ],
        width - QR_SIZE - 6 * mm,
        bold={"Certificate No.", "Verification code"},  # what a person types to verify it
    )
    qr = [QrCode(data.verification_url, QR_SIZE), paragraph("Scan to verify", CENTER)]
    left = [paragraph(f"{TITLE_EN} / {TITLE_KO}", TITLE), Spacer(1, 3 * mm), identity]
    block = Table([[left, qr]], colWidths=[width - QR_SIZE - 6 * mm, QR_SIZE + 6 * mm], style=FIELDS)
    story: list[Flowable] = [block]
    if data.amendment is not None:
        story += [
            Spacer(1, 4 * mm),
            paragraph(
                f"This report replaces {data.amendment.replaces}, which is withdrawn. "
                f"Reason for the amendment: {data.amendment.reason}",
                BOX,
            ),
        ]
    return story


def _party_rows(role: str, party: Party) -> list[tuple[str, str]]:
    rows = [(role, party.name), ("Address", party.address)]
    if party.business_registration_number:
        rows.append(("Business registration No.", party.business_registration_number))
    return rows


def _parties(data: ReportData, width: float) -> list[Flowable]:
    lab = data.lab
    return [
        paragraph("Laboratory", HEADING),
        fields(
            [
                ("Laboratory", lab.name),
                ("Address", lab.address),
                ("Accreditation", lab.accreditation),
                ("Tests performed at", lab.test_site),
            ],
            width,
        ),
        paragraph("Customer", HEADING),
        fields(
            _party_rows("Applicant", data.applicant)
            + _party_rows("Payer", data.payer)
            + _party_rows("Report recipient", data.recipient),
            width,
        ),
    ]


def _method_items_dates(data: ReportData, width: float) -> list[Flowable]:
    method, dates = data.method, data.dates
    return [
        paragraph("Test method", HEADING),
        fields(
            [
                ("Method", f"{method.code} — {method.title}"),
                ("Standard", method.standard),
                ("Method version", method.version),
            ],
            width,
        ),
        paragraph("Items tested", HEADING),
        grid(
            ["Item", "Lab sample No.", "Description", "Condition on receipt"],
            [[item.label, item.lab_number or "-", item.description, item.condition_on_receipt] for item in data.items],
            [0.12 * width, 0.16 * width, 0.4 * width, 0.32 * width],
        ),
        paragraph("Dates", HEADING),
        fields(
            [
                ("Date of receipt", format_date(dates.received)),
                ("Date(s) of testing", f"{format_date(dates.test_started)} to {format_date(dates.test_ended)}"),
                ("Date of issue", format_date(dates.issued)),
            ],
            width,
        ),
    ]


def figure_caption(number: int, series: PlotSeries) -> str:
    """A numbered figure's caption: what it shows, each axis with its unit, and a log axis said so."""
    y = f"{series.y_label} ({series.y_unit})" if series.y_unit else series.y_label
    x = f"{series.x_label} ({series.x_unit})" if series.x_unit else series.x_label
    scale = ", logarithmic scale" if spans_decades(series) else ""
    caption = f"Figure {number}. {series.title}: {y}{scale} against {x}"
    if series.overlays:
        caption += "; points are measured, lines: " + ", ".join(line.label for line in series.overlays)
    return caption + "."


def _run_section(run: RunResult, width: float, figures: Iterator[int]) -> list[Flowable]:
    rows = []
    for measurement in run.measurements:
        value, uncertainty = format_result(measurement)
        rows.append(
            [
                measurement.metric,
                value,
                f"± {uncertainty} (k = {format_coverage_factor(measurement.coverage_factor)})",
                measurement.unit,
                format_limits(measurement),
                measurement.verdict.value,
            ]
        )
    table = grid(
        ["Quantity", "Result", "Expanded uncertainty U", "Unit", "Specification", "Verdict"],
        rows,
        [0.25 * width, 0.13 * width, 0.22 * width, 0.1 * width, 0.15 * width, 0.15 * width],
    )
    story: list[Flowable] = [KeepTogether([paragraph(f"Run {run.run_id} — item {run.item_label}", HEADING), table])]
    story += budget_story(run.measurements, width)
    story += _conditions_and_equipment(run, width)
    plot_width = min(width, PLOT_SIZE_IN[0] * 72)
    plot_height = plot_width * PLOT_SIZE_IN[1] / PLOT_SIZE_IN[0]
    for series in run.series:
        image = Image(io.BytesIO(plot_png(series)), plot_width, plot_height)
        caption = paragraph(figure_caption(next(figures), series), LABEL)
        story += [Spacer(1, 2 * mm), KeepTogether([image, caption])]
    return story


def _optional_date(day: date | None) -> str:
    return format_date(day) if day else "not recorded"


def _conditions_and_equipment(run: RunResult, width: float) -> list[Flowable]:
    """The run's test conditions and the instruments it used with their calibration, each kept with its heading."""
    story: list[Flowable] = []
    if run.conditions:
        conditions = grid(
            ["Test condition", "Value", "Unit"],
            [[c.name, c.value, c.unit] for c in run.conditions],
            [0.5 * width, 0.3 * width, 0.2 * width],
        )
        story += [Spacer(1, 2 * mm), KeepTogether([paragraph("Test conditions", LABEL), conditions])]
    if run.equipment:
        rows = [
            [
                e.asset_tag,
                e.instrument,
                e.serial,
                e.calibration_certificate or "not recorded",
                _optional_date(e.calibrated_on),
                _optional_date(e.calibration_due),
            ]
            for e in run.equipment
        ]
        equipment = grid(
            ["Asset", "Instrument", "Serial No.", "Calibration certificate", "Calibrated", "Calibration due"],
            rows,
            [0.11 * width, 0.25 * width, 0.14 * width, 0.22 * width, 0.14 * width, 0.14 * width],
        )
        story += [Spacer(1, 2 * mm), KeepTogether([paragraph("Equipment used", LABEL), equipment])]
    return story


def _results(data: ReportData, width: float) -> list[Flowable]:
    story: list[Flowable] = [paragraph("Results", HEADING)]
    figures = itertools.count(1)
    for run in data.runs:
        story += _run_section(run, width, figures)
    story += [Spacer(1, 2 * mm), paragraph(RESULTS_RELATE_ONLY, LABEL)]
    if any(run.equipment for run in data.runs):
        story += [Spacer(1, 1 * mm), paragraph(TRACEABILITY)]
    return story


def _conformity_and_sign_off(data: ReportData, width: float) -> list[Flowable]:
    deviations = data.deviations or ("None",)
    return [
        paragraph("Statement of conformity", HEADING),
        paragraph(data.conformity_statement),
        Spacer(1, 1.5 * mm),
        paragraph(f"Decision rule: {DECISION_RULE_TEXT[data.decision_rule]}"),
        paragraph("Deviations from the method", HEADING),
        *[paragraph(f"• {deviation}") for deviation in deviations],
        paragraph("Data files (SHA-256)", HEADING),
        grid(
            ["Run", "SHA-256 of the HDF5 data file"],
            [[run.run_id, run.data_sha256] for run in data.runs],
            [0.2 * width, 0.8 * width],
        ),
        KeepTogether(
            [
                paragraph("Authorisation", HEADING),
                fields(
                    [
                        ("Tested by", f"{data.tested_by.name}, {data.tested_by.role}"),
                        ("Authorised by", f"{data.authorised_by.name}, {data.authorised_by.role}"),
                    ],
                    width,
                ),
                Spacer(1, 2 * mm),
                paragraph(
                    "This report is signed electronically with the laboratory's key. Its signature and the "
                    f"page at {data.verification_url} let anyone check that it is authentic and unchanged.",
                    SMALL,
                ),
                Spacer(1, 4 * mm),
                paragraph("— End of report —", CENTER),
            ]
        ),
    ]


def report_story(data: ReportData, width: float) -> list[Flowable]:
    """Build the flowables of a report body.

    Args:
        data: The report.
        width: The frame width available, in points.

    Returns:
        The flowables, ready for a platypus document; plots are drawn here.
    """
    return [
        *_title_block(data, width),
        *_parties(data, width),
        *_method_items_dates(data, width),
        *_results(data, width),
        *_conformity_and_sign_off(data, width),
    ]

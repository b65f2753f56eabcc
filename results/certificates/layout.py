"""The body of a test report: its sections, in the order ISO/IEC 17025:2017 7.8.2.1 lists them."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator, Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from results.certificates.fonts import BODY_FONT, BOLD_FONT
from results.certificates.formatting import (
    format_coverage_factor,
    format_date,
    format_limits,
    format_result,
    printable,
)
from results.certificates.model import DecisionRule, Party, PlotSeries, ReportData, RunResult
from results.certificates.plots import PLOT_SIZE_IN, plot_png, spans_decades
from results.certificates.qr import QrCode

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

_BODY = ParagraphStyle("body", fontName=BODY_FONT, fontSize=8.5, leading=11)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=7, leading=9)
_LABEL = ParagraphStyle("label", parent=_BODY, fontName=BOLD_FONT)
_HEADING = ParagraphStyle(
    "heading", parent=_BODY, fontName=BOLD_FONT, fontSize=10.5, spaceBefore=8, spaceAfter=3, keepWithNext=1
)
_TITLE = ParagraphStyle("title", parent=_BODY, fontName=BOLD_FONT, fontSize=18, leading=22)
_BOX = ParagraphStyle("box", parent=_BODY, borderColor=colors.darkred, borderWidth=0.8, borderPadding=5)
_CENTER = ParagraphStyle("center", parent=_SMALL, alignment=TA_CENTER)
# Tables set their cells' font even for paragraphs; without FONTNAME that is Helvetica, never embedded.
_GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ]
)
_FIELDS = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
)
_QR_SIZE = 30 * mm


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(printable(text), style)


def _fields(rows: Sequence[tuple[str, str]], width: float) -> Table:
    """A two-column table of labelled values, without rules."""
    data = [[_p(label, _LABEL), _p(value)] for label, value in rows]
    return Table(data, colWidths=[0.3 * width, 0.7 * width], style=_FIELDS, hAlign="LEFT")


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    """A ruled table with a shaded header row; repeats its header on a new page."""
    data = [[_p(cell, _LABEL) for cell in header]] + [[_p(cell) for cell in row] for row in rows]
    return Table(data, colWidths=list(widths), style=_GRID, repeatRows=1, hAlign="LEFT")


def _title_block(data: ReportData, width: float) -> list[Flowable]:
    identity = _fields(
        [
            ("Certificate No.", data.number),
            ("Status", data.status.value.capitalize()),
            ("Date of issue", format_date(data.dates.issued)),
            ("Verify at", data.verification_url),
        ],
        width - _QR_SIZE - 6 * mm,
    )
    qr = [QrCode(data.verification_url, _QR_SIZE), _p("Scan to verify", _CENTER)]
    left = [_p(f"{TITLE_EN} / {TITLE_KO}", _TITLE), Spacer(1, 3 * mm), identity]
    block = Table([[left, qr]], colWidths=[width - _QR_SIZE - 6 * mm, _QR_SIZE + 6 * mm], style=_FIELDS)
    story: list[Flowable] = [block]
    if data.amendment is not None:
        story += [
            Spacer(1, 4 * mm),
            _p(
                f"This report replaces {data.amendment.replaces}, which is withdrawn. "
                f"Reason for the amendment: {data.amendment.reason}",
                _BOX,
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
        _p("Laboratory", _HEADING),
        _fields(
            [
                ("Laboratory", lab.name),
                ("Address", lab.address),
                ("Accreditation", lab.accreditation),
                ("Tests performed at", lab.test_site),
            ],
            width,
        ),
        _p("Customer", _HEADING),
        _fields(
            _party_rows("Applicant", data.applicant)
            + _party_rows("Payer", data.payer)
            + _party_rows("Report recipient", data.recipient),
            width,
        ),
    ]


def _method_items_dates(data: ReportData, width: float) -> list[Flowable]:
    method, dates = data.method, data.dates
    return [
        _p("Test method", _HEADING),
        _fields(
            [
                ("Method", f"{method.code} — {method.title}"),
                ("Standard", method.standard),
                ("Method version", method.version),
            ],
            width,
        ),
        _p("Items tested", _HEADING),
        _grid(
            ["Item", "Lab sample No.", "Description", "Condition on receipt"],
            [[item.label, item.lab_number or "-", item.description, item.condition_on_receipt] for item in data.items],
            [0.12 * width, 0.16 * width, 0.4 * width, 0.32 * width],
        ),
        _p("Dates", _HEADING),
        _fields(
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
    return f"Figure {number}. {series.title}: {y}{scale} against {x}."


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
    table = _grid(
        ["Quantity", "Result", "Expanded uncertainty U", "Unit", "Specification", "Verdict"],
        rows,
        [0.25 * width, 0.13 * width, 0.22 * width, 0.1 * width, 0.15 * width, 0.15 * width],
    )
    story: list[Flowable] = [KeepTogether([_p(f"Run {run.run_id} — item {run.item_label}", _HEADING), table])]
    story += _conditions_and_equipment(run, width)
    plot_width = min(width, PLOT_SIZE_IN[0] * 72)
    plot_height = plot_width * PLOT_SIZE_IN[1] / PLOT_SIZE_IN[0]
    for series in run.series:
        image = Image(io.BytesIO(plot_png(series)), plot_width, plot_height)
        caption = _p(figure_caption(next(figures), series), _LABEL)
        story += [Spacer(1, 2 * mm), KeepTogether([image, caption])]
    return story


def _optional_date(day: date | None) -> str:
    return format_date(day) if day else "not recorded"


def _conditions_and_equipment(run: RunResult, width: float) -> list[Flowable]:
    """The run's test conditions and the instruments it used with their calibration, each kept with its heading."""
    story: list[Flowable] = []
    if run.conditions:
        conditions = _grid(
            ["Test condition", "Value", "Unit"],
            [[c.name, c.value, c.unit] for c in run.conditions],
            [0.5 * width, 0.3 * width, 0.2 * width],
        )
        story += [Spacer(1, 2 * mm), KeepTogether([_p("Test conditions", _LABEL), conditions])]
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
        equipment = _grid(
            ["Asset", "Instrument", "Serial No.", "Calibration certificate", "Calibrated", "Calibration due"],
            rows,
            [0.11 * width, 0.25 * width, 0.14 * width, 0.22 * width, 0.14 * width, 0.14 * width],
        )
        story += [Spacer(1, 2 * mm), KeepTogether([_p("Equipment used", _LABEL), equipment])]
    return story


def _results(data: ReportData, width: float) -> list[Flowable]:
    story: list[Flowable] = [_p("Results", _HEADING)]
    figures = itertools.count(1)
    for run in data.runs:
        story += _run_section(run, width, figures)
    story += [Spacer(1, 2 * mm), _p(RESULTS_RELATE_ONLY, _LABEL)]
    if any(run.equipment for run in data.runs):
        story += [Spacer(1, 1 * mm), _p(TRACEABILITY)]
    return story


def _conformity_and_sign_off(data: ReportData, width: float) -> list[Flowable]:
    deviations = data.deviations or ("None",)
    return [
        _p("Statement of conformity", _HEADING),
        _p(data.conformity_statement),
        Spacer(1, 1.5 * mm),
        _p(f"Decision rule: {DECISION_RULE_TEXT[data.decision_rule]}"),
        _p("Deviations from the method", _HEADING),
        *[_p(f"• {deviation}") for deviation in deviations],
        _p("Data files (SHA-256)", _HEADING),
        _grid(
            ["Run", "SHA-256 of the HDF5 data file"],
            [[run.run_id, run.data_sha256] for run in data.runs],
            [0.2 * width, 0.8 * width],
        ),
        KeepTogether(
            [
                _p("Authorisation", _HEADING),
                _fields(
                    [
                        ("Tested by", f"{data.tested_by.name}, {data.tested_by.role}"),
                        ("Authorised by", f"{data.authorised_by.name}, {data.authorised_by.role}"),
                    ],
                    width,
                ),
                Spacer(1, 2 * mm),
                _p(
                    "This report is signed electronically with the laboratory's key. Its signature and the "
                    f"page at {data.verification_url} let anyone check that it is authentic and unchanged.",
                    _SMALL,
                ),
                Spacer(1, 4 * mm),
                _p("— End of report —", _CENTER),
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

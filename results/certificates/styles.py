"""The report's paragraph and table styles, and the few building blocks every part of a report uses."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from results.certificates.fonts import BODY_FONT, BOLD_FONT
from results.certificates.formatting import printable

__all__ = [
    "BODY",
    "BOX",
    "CENTER",
    "FIELDS",
    "HEADING",
    "LABEL",
    "QR_SIZE",
    "SMALL",
    "TITLE",
    "fields",
    "grid",
    "paragraph",
]

BODY = ParagraphStyle("body", fontName=BODY_FONT, fontSize=8.5, leading=11)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7, leading=9)
LABEL = ParagraphStyle("label", parent=BODY, fontName=BOLD_FONT)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName=BOLD_FONT, fontSize=10.5, spaceBefore=8, spaceAfter=3, keepWithNext=1
)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD_FONT, fontSize=18, leading=22)
BOX = ParagraphStyle("box", parent=BODY, borderColor=colors.darkred, borderWidth=0.8, borderPadding=5)
CENTER = ParagraphStyle("center", parent=SMALL, alignment=TA_CENTER)
# Tables set their cells' font even for paragraphs; without FONTNAME that is Helvetica, never embedded.
_GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ]
)
FIELDS = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
)
QR_SIZE = 30 * mm


def paragraph(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of report text, escaped and with glyphs the report font has."""
    return Paragraph(printable(text), style)


def fields(rows: Sequence[tuple[str, str]], width: float, *, bold: Collection[str] = ()) -> Table:
    """A two-column table of labelled values, without rules; the values of the labels in ``bold`` in bold."""
    data = [[paragraph(label, LABEL), paragraph(value, LABEL if label in bold else BODY)] for label, value in rows]
    return Table(data, colWidths=[0.3 * width, 0.7 * width], style=FIELDS, hAlign="LEFT")


def grid(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    """A ruled table with a shaded header row; repeats its header on a new page."""
    data = [[paragraph(cell, LABEL) for cell in header]] + [[paragraph(cell) for cell in row] for row in rows]
    return Table(data, colWidths=list(widths), style=_GRID, repeatRows=1, hAlign="LEFT")

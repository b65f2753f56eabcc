"""Render a test report as a PDF: A4, NanumGothic embedded, the number and "Page x of y" on every page."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from results.certificates.fonts import BODY_FONT, BOLD_FONT, register_fonts
from results.certificates.layout import RESULTS_RELATE_ONLY, TITLE_EN, TITLE_KO, report_story
from results.certificates.model import ReportData

__all__ = ["render_report"]

_MARGIN = 18 * mm
_HEADER_HEIGHT = 14 * mm
_FOOTER_HEIGHT = 12 * mm


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that holds pages back until the end, so each can say "Page x of y".

    Page furniture (header and footer) is drawn here, once the page count is known.
    """

    def __init__(self, *args: Any, lab_name: str, number: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lab_name = lab_name
        self._number = number
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self._draw_furniture(total)
            super().showPage()
        super().save()

    def _draw_furniture(self, total: int) -> None:
        width, height = A4
        top = height - _MARGIN
        self.setFont(BOLD_FONT, 9)
        self.drawString(_MARGIN, top - 4 * mm, self._lab_name)
        self.setFont(BODY_FONT, 8)
        self.drawString(_MARGIN, top - 8.5 * mm, f"{TITLE_EN} / {TITLE_KO}")
        self.drawRightString(width - _MARGIN, top - 4 * mm, f"Certificate No. {self._number}")
        self.drawRightString(width - _MARGIN, top - 8.5 * mm, f"Page {self._pageNumber} of {total}")
        self.setLineWidth(0.4)
        self.line(_MARGIN, top - _HEADER_HEIGHT + 2 * mm, width - _MARGIN, top - _HEADER_HEIGHT + 2 * mm)
        bottom = _MARGIN
        self.line(_MARGIN, bottom + _FOOTER_HEIGHT - 3 * mm, width - _MARGIN, bottom + _FOOTER_HEIGHT - 3 * mm)
        self.setFont(BODY_FONT, 7)
        self.drawString(
            _MARGIN,
            bottom + 4 * mm,
            f"{RESULTS_RELATE_ONLY} This report shall not be reproduced except in full "
            "without the written approval of the laboratory.",
        )
        self.drawString(_MARGIN, bottom, f"Certificate No. {self._number}")
        self.drawRightString(width - _MARGIN, bottom, f"Page {self._pageNumber} of {total}")


def render_report(data: ReportData) -> bytes:
    """Render a test report to PDF.

    Args:
        data: Everything the report prints.

    Returns:
        The PDF file's bytes (unsigned; see :func:`results.certificates.signing.sign_pdf`).
    """
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN + _HEADER_HEIGHT,
        bottomMargin=_MARGIN + _FOOTER_HEIGHT,
        title=f"{TITLE_EN} {data.number}",
        author=data.lab.name,
        subject=f"{data.method.code} for {data.applicant.name}",
        creator="labsys",
        lang="en",
        # Without this the canvas starts every page in Helvetica, a font the PDF would not embed.
        initialFontName=BODY_FONT,
        initialFontSize=8,
    )
    story = report_story(data, document.width)

    def canvas_maker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, lab_name=data.lab.name, number=data.number, **kwargs)

    document.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()

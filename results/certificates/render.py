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
from results.certificates.model import ReportData, ReportStatus

__all__ = ["DRAFT_MARK", "render_report"]

DRAFT_MARK = "DRAFT — not a valid test report"
"""Printed across every page of a report whose status is draft."""

_MARGIN = 18 * mm
_HEADER_HEIGHT = 14 * mm
_FOOTER_HEIGHT = 12 * mm


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that holds pages back until the end, so each can say "Page x of y".

    Page furniture (header and footer) is drawn here, once the page count is known.
    """

    def __init__(self, *args: Any, lab_name: str, number: str, draft: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lab_name = lab_name
        self._number = number
        self._draft = draft
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self._draw_furniture(total)
            if self._draft:
                self._draw_draft_mark()
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

    def _draw_draft_mark(self) -> None:
        """Mark a draft (sent to the customer for checking) so it can never pass for the issued report.

        Once in the header, where text tools find it, and once across the page, where no reader misses it.
        """
        width, height = A4
        self.saveState()
        self.setFillColorRGB(0.8, 0.1, 0.1)
        self.setFont(BOLD_FONT, 9)
        self.drawCentredString(width / 2, height - _MARGIN - 4 * mm, DRAFT_MARK)
        self.setFillColorRGB(0.8, 0.1, 0.1, alpha=0.25)
        self.setFont(BOLD_FONT, 40)
        self.translate(width / 2, height / 2)
        self.rotate(45)
        self.drawCentredString(0, 0, DRAFT_MARK)
        self.restoreState()


def render_report(data: ReportData) -> bytes:
    """Render a test report to PDF.

    Args:
        data: Everything the report prints.

    A draft carries :data:`DRAFT_MARK` across every page.

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
        draft = data.status is ReportStatus.DRAFT
        return _NumberedCanvas(*args, lab_name=data.lab.name, number=data.number, draft=draft, **kwargs)

    document.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()

"""The QR code that opens a report's public verification page, drawn as vector squares."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.platypus import Flowable

__all__ = ["QUIET_ZONE_MODULES", "QrCode", "qr_modules"]

QUIET_ZONE_MODULES = 4
"""White border around the code, in modules, as the QR standard asks for reliable scanning."""


def qr_modules(url: str) -> list[list[bool]]:
    """Get the QR code for ``url`` as rows of modules (``True`` = dark), quiet zone included.

    Error correction level M: still readable with about 15 % of the code damaged (a stamp, a fold).
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE_MODULES)
    code.add_data(url)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


def _dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """Get (first column, length) of each run of dark modules in a row."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for column, dark in enumerate([*row, False]):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            runs.append((start, column - start))
            start = None
    return runs


class QrCode(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A QR code flowable ``size_pt`` points square, drawn straight on the canvas.

    Each horizontal run of dark modules is one filled rectangle: few objects, and no hairline seams between
    neighbouring modules in viewers that anti-alias. (reportlab's graphics widgets would also set Helvetica,
    a font the PDF names without embedding.)
    """

    def __init__(self, url: str, size_pt: float) -> None:
        super().__init__()
        self.url = url
        self.size_pt = size_pt
        self.modules = qr_modules(url)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size_pt, self.size_pt

    def dark_rectangles(self) -> list[tuple[float, float, float, float]]:
        """Get the dark areas as ``(x, y, width, height)`` in points, origin at the bottom left."""
        step = self.size_pt / len(self.modules)
        rectangles = []
        for row_index, row in enumerate(self.modules):
            # PDF's y axis points up; the matrix's first row is the top of the code.
            y = self.size_pt - (row_index + 1) * step
            rectangles += [(column * step, y, length * step, step) for column, length in _dark_runs(row)]
        return rectangles

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        for x, y, width, height in self.dark_rectangles():
            canvas.rect(x, y, width, height, stroke=0, fill=1)
        canvas.restoreState()

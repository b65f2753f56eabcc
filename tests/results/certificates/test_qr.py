"""The QR code on a report encodes the verification URL and is drawn module for module."""

from __future__ import annotations

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from results.certificates.qr import QUIET_ZONE_MODULES, QrCode, qr_modules

pytestmark = pytest.mark.unit

URL = "https://lab.example.kr/verify/LS-2025-0042"


def _reference_matrix(url: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE_MODULES)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def test_qr_code_encodes_the_verification_url() -> None:
    assert qr_modules(URL) == _reference_matrix(URL)
    assert qr_modules(URL) != qr_modules(URL + "-R1")


def test_qr_code_keeps_a_quiet_zone_of_four_modules() -> None:
    modules = qr_modules(URL)
    for edge in (modules[:4], modules[-4:], [row[:4] for row in modules], [row[-4:] for row in modules]):
        assert not any(any(row) for row in edge)


def test_drawn_squares_reproduce_every_dark_module() -> None:
    size = 90.0
    code = QrCode(URL, size)
    assert code.wrap(500, 500) == (size, size)
    count = len(code.modules)
    step = size / count
    drawn = [[False] * count for _ in range(count)]
    for x, y, width, height in code.dark_rectangles():
        assert height == pytest.approx(step)
        row = round((size - y) / step) - 1
        first = round(x / step)
        for column in range(first, first + round(width / step)):
            drawn[row][column] = True
    assert drawn == code.modules

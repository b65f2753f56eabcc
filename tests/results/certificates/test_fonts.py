"""The report font is NanumGothic from the installed koreanize-matplotlib package, registered once."""

from __future__ import annotations

import subprocess
import sys

import pytest
from reportlab.pdfbase import pdfmetrics

from results.certificates.fonts import BODY_FONT, BOLD_FONT, font_file, register_fonts

pytestmark = pytest.mark.unit


def test_fonts_come_from_the_koreanize_matplotlib_package() -> None:
    for name in (BODY_FONT, BOLD_FONT):
        path = font_file(name)
        assert path.is_file()
        assert "koreanize_matplotlib" in path.parts
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font


@pytest.mark.slow  # a fresh interpreter imports reportlab, matplotlib and pyHanko: about 3 s
def test_finding_the_fonts_does_not_import_koreanize_matplotlib() -> None:
    # In a fresh interpreter: another test may import the package. Importing it restyles every matplotlib plot.
    probe = (
        "import sys; from results.certificates.render import render_report; "
        "from results.certificates.fonts import font_file; font_file('NanumGothic'); "
        "print('koreanize_matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "False"


def test_registering_twice_is_harmless() -> None:
    register_fonts()
    register_fonts()
    assert {BODY_FONT, BOLD_FONT} <= set(pdfmetrics.getRegisteredFontNames())


def test_an_unknown_font_name_is_refused() -> None:
    with pytest.raises(KeyError):
        font_file("Comic Sans")

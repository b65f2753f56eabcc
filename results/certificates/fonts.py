"""The Hangul-capable fonts a report is set in, embedded in every PDF.

NanumGothic (SIL Open Font License) comes from the ``koreanize-matplotlib`` package the project installs, never
from whatever fonts the machine has. The package is located, not imported: importing it would change
matplotlib's global settings.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["BODY_FONT", "BOLD_FONT", "font_file", "register_fonts"]

BODY_FONT = "NanumGothic"
"""Name under which the regular face is registered with reportlab."""
BOLD_FONT = "NanumGothic-Bold"
"""Name under which the bold face is registered with reportlab."""

_FILES = {BODY_FONT: "NanumGothic.ttf", BOLD_FONT: "NanumGothicBold.ttf"}
_lock = threading.Lock()


@cache
def _font_directory() -> Path:
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("koreanize-matplotlib is not installed; it provides the report's Hangul fonts")
    return Path(spec.origin).parent / "fonts"


def font_file(name: str) -> Path:
    """Get the TrueType file of a report font.

    Args:
        name: :data:`BODY_FONT` or :data:`BOLD_FONT`.

    Raises:
        KeyError: for any other name.
        RuntimeError: if the font package is missing.
    """
    path = _font_directory() / _FILES[name]
    if not path.is_file():
        raise RuntimeError(f"font file {path} is missing from koreanize-matplotlib")
    return path


def register_fonts() -> None:
    """Register the report fonts with reportlab (once per process; safe from several threads)."""
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name in _FILES:
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(font_file(name))))
        pdfmetrics.registerFontFamily(BODY_FONT, normal=BODY_FONT, bold=BOLD_FONT)

"""Run poppler-utils (pdftotext, pdfsig, pdffonts) on PDFs held in memory: what a user's own tools would see."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = ["pdf_pages_text", "poppler"]


def poppler(tool: str, *args: str, pdf: bytes) -> str:
    """Run a poppler-utils tool on a PDF given as bytes and get its output (stdout and stderr).

    ``"{pdf}"`` among ``args`` stands for the PDF's path; without it the path goes last.
    """
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: install poppler-utils (apt-get install -y poppler-utils)")
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "report.pdf"
        file.write_bytes(pdf)
        arguments = [str(file) if arg == "{pdf}" else arg for arg in args]
        if "{pdf}" not in args:
            arguments.append(str(file))
        result = subprocess.run([path, *arguments], capture_output=True, text=True, check=False, timeout=60)
    return result.stdout + result.stderr


def pdf_pages_text(pdf: bytes) -> list[str]:
    """Get each page's text as pdftotext extracts it, one string per page."""
    text = poppler("pdftotext", "-enc", "UTF-8", "-layout", "{pdf}", "-", pdf=pdf)
    return text.split("\f")[:-1]  # every page ends with a form feed

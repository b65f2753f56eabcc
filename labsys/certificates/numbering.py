"""Certificate numbers: ``LAB-2026-000123`` for a report, ``LAB-2026-000123-R1`` for its first amendment.

The year is the issue date's year at the lab (Asia/Seoul). The sequence counts the year's original reports
from the database; the unique constraint on the number refuses a second report with the same number when two
reviewers issue at the same moment, and the service then takes the next one.
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, func, select

from labsys.certificates.models import Certificate

__all__ = ["SEQUENCE_DIGITS", "amendment_number", "next_number", "revision_of", "root_number"]

#: Digits of the yearly sequence (zero-padded, so numbers sort as text).
SEQUENCE_DIGITS = 6

_REVISION = re.compile(r"^(?P<root>.+?)-R(?P<revision>\d+)$")


def next_number(session: Session, *, prefix: str, year: int) -> str:
    """The next unused original number of ``year``, e.g. ``LAB-2026-000124``."""
    pattern = f"{prefix}-{year:04d}-" + "_" * SEQUENCE_DIGITS
    newest = session.exec(select(func.max(Certificate.number)).where(col(Certificate.number).like(pattern))).one()
    sequence = int(newest.rsplit("-", 1)[1]) + 1 if newest else 1
    return f"{prefix}-{year:04d}-{sequence:0{SEQUENCE_DIGITS}d}"


def root_number(number: str) -> str:
    """The original report's number of a report or any of its amendments."""
    match = _REVISION.match(number)
    return match["root"] if match else number


def revision_of(number: str) -> int:
    """0 for an original report, ``n`` for its ``-Rn`` amendment."""
    match = _REVISION.match(number)
    return int(match["revision"]) if match else 0


def amendment_number(number: str) -> str:
    """The number of the amendment that replaces ``number``: always counted from the original's number."""
    return f"{root_number(number)}-R{revision_of(number) + 1}"

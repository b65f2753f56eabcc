"""Utilisation as CSV files a spreadsheet opens: one row per instrument-week, or per company-week.

The files are UTF-8 with a byte-order mark: Excel on a Korean Windows reads a CSV without one as CP949 and garbles
company names in Hangul, while with it Excel, LibreOffice and Python's ``utf-8-sig`` all read the text right.
Rows end with CRLF (RFC 4180). Hours have two decimals; shares are fractions, empty when nothing was available.
A name that a spreadsheet would take for a formula is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from labsys.utilisation.schemas import UtilisationPublic

__all__ = ["companies_csv", "instruments_csv"]

_BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet: a company named "=HYPERLINK(...)" must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

INSTRUMENT_COLUMNS = (
    "week", "monday", "asset_tag", "kind", "open_hours", "downtime_hours", "available_hours", "booked_hours",
    "used_hours", "booked_share", "used_share",
)  # fmt: skip
COMPANY_COLUMNS = ("week", "monday", "company_id", "company", "booked_hours", "used_hours")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return (_BOM + text.getvalue()).encode()


def instruments_csv(figures: UtilisationPublic) -> bytes:
    """One row per instrument and week, by week then asset tag, after a header row."""
    rows = sorted(figures.instruments, key=lambda r: (r.monday, r.asset_tag))
    return _csv(INSTRUMENT_COLUMNS, ([getattr(r, c) for c in INSTRUMENT_COLUMNS] for r in rows))


def companies_csv(figures: UtilisationPublic) -> bytes:
    """One row per company and week it booked in, by week then company name, after a header row."""
    rows = sorted(figures.companies, key=lambda r: (r.monday, r.company, r.company_id))
    return _csv(COMPANY_COLUMNS, ([getattr(r, c) for c in COMPANY_COLUMNS] for r in rows))

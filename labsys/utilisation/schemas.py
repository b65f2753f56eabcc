"""What the API and the pages show of utilisation: hours per instrument and week, per company and week, and the
lab's totals per week.

A week is named by its ISO week (``2026-W45``) and its Monday (lab zone). Shares are fractions (0.25 is a
quarter) of the hours available (opening hours less downtime), None when nothing was available.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import SQLModel

__all__ = ["CompanyWeekPublic", "InstrumentWeekPublic", "LabWeekPublic", "UtilisationPublic"]


def share(part: float, whole: float) -> float | None:
    """``part`` over ``whole``, rounded to four places; None when ``whole`` is nothing."""
    return round(part / whole, 4) if whole > 0 else None


class InstrumentWeekPublic(SQLModel):
    """One instrument's week, in hours."""

    asset_tag: str
    kind: str
    week: str
    monday: date
    open_hours: float
    downtime_hours: float
    available_hours: float
    booked_hours: float
    used_hours: float
    booked_share: float | None
    used_share: float | None


class CompanyWeekPublic(SQLModel):
    """One company's hours on the lab's instruments in a week it booked in."""

    company_id: int
    company: str
    week: str
    monday: date
    booked_hours: float
    used_hours: float


class LabWeekPublic(SQLModel):
    """The lab's week: the sums over every instrument."""

    week: str
    monday: date
    open_hours: float
    downtime_hours: float
    available_hours: float
    booked_hours: float
    used_hours: float
    booked_share: float | None
    used_share: float | None


class UtilisationPublic(SQLModel):
    """The utilisation of ``weeks`` lab weeks from ``first_week``: the lab's weeks, each instrument's (by asset tag,
    then week) and each company's (by name, then week)."""

    first_week: str
    weeks: int
    lab: list[LabWeekPublic]
    instruments: list[InstrumentWeekPublic]
    companies: list[CompanyWeekPublic]

"""Utilisation over a run of lab weeks, for the lab's staff: read in one read transaction, counted in memory."""

from __future__ import annotations

from datetime import date, timedelta

from labsys.bounds import check_lab_time
from labsys.companies.accounts import Account
from labsys.db import Database
from labsys.errors import InvalidInput, PermissionDenied
from labsys.scheduling import SchedulingPolicy
from labsys.utilisation.figures import Utilisation, compute
from labsys.utilisation.reading import UtilisationInput, read_input
from labsys.utilisation.schemas import (
    CompanyWeekPublic,
    InstrumentWeekPublic,
    LabWeekPublic,
    UtilisationPublic,
    share,
)
from labsys.weeks import iso_week

__all__ = ["MAX_WEEKS", "UtilisationService"]

#: The most weeks one request may cover: half a year.
MAX_WEEKS = 26


class UtilisationService:
    """Hours booked, used and lost to downtime, per instrument, per company and for the lab, week by week."""

    def __init__(self, db: Database, policy: SchedulingPolicy) -> None:
        self._db = db
        self._policy = policy

    def weeks(self, first: date, weeks: int, *, viewer: Account) -> UtilisationPublic:
        """The ``weeks`` lab weeks from the one ``first`` (a lab-zone date) falls in.

        Raises:
            PermissionDenied: the viewer is not one of the lab's staff (the figures show every company's use).
            InvalidInput: ``weeks`` is not 1 to :data:`MAX_WEEKS`, or the weeks lie outside the lab's years.
        """
        if not viewer.is_staff:
            raise PermissionDenied("the lab's utilisation is for its staff")
        if not 1 <= weeks <= MAX_WEEKS:
            raise InvalidInput("weeks", f"weeks must be 1 to {MAX_WEEKS}, not {weeks}")
        monday = check_lab_time("from", first) - timedelta(days=first.weekday())
        mondays = [monday + timedelta(weeks=n) for n in range(weeks)]
        check_lab_time("weeks", mondays[-1] + timedelta(days=6))
        since, until = self._policy.week_bounds(mondays[0])[0], self._policy.week_bounds(mondays[-1])[1]
        with self._db.reading() as session:
            read = read_input(session, since, until)
        figures = compute(self._policy, mondays, read.instruments.keys(), read.uses, read.downtime)
        return _public(figures, read, mondays)


def _hours(value: float) -> float:
    return round(value, 2)


def _public(figures: Utilisation, read: UtilisationInput, mondays: list[date]) -> UtilisationPublic:
    instruments = sorted(
        (
            InstrumentWeekPublic(
                asset_tag=read.instruments[row.instrument_id].asset_tag,
                kind=read.instruments[row.instrument_id].kind,
                week=iso_week(row.week),
                monday=row.week,
                open_hours=_hours(row.open_hours),
                downtime_hours=_hours(row.downtime_hours),
                available_hours=_hours(row.available_hours),
                booked_hours=_hours(row.booked_hours),
                used_hours=_hours(row.used_hours),
                booked_share=share(row.booked_hours, row.available_hours),
                used_share=share(row.used_hours, row.available_hours),
            )
            for row in figures.instruments
        ),
        key=lambda r: (r.asset_tag, r.monday),
    )
    companies = sorted(
        (
            CompanyWeekPublic(
                company_id=row.company_id,
                company=read.companies[row.company_id],
                week=iso_week(row.week),
                monday=row.week,
                booked_hours=_hours(row.booked_hours),
                used_hours=_hours(row.used_hours),
            )
            for row in figures.companies
        ),
        key=lambda r: (r.company, r.company_id, r.monday),
    )
    return UtilisationPublic(
        first_week=iso_week(mondays[0]),
        weeks=len(mondays),
        lab=[_lab_week(figures, monday) for monday in mondays],
        instruments=instruments,
        companies=companies,
    )


def _lab_week(figures: Utilisation, monday: date) -> LabWeekPublic:
    rows = [row for row in figures.instruments if row.week == monday]
    available = sum(row.available_hours for row in rows)
    booked = sum(row.booked_hours for row in rows)
    used = sum(row.used_hours for row in rows)
    return LabWeekPublic(
        week=iso_week(monday),
        monday=monday,
        open_hours=_hours(sum(row.open_hours for row in rows)),
        downtime_hours=_hours(sum(row.downtime_hours for row in rows)),
        available_hours=_hours(available),
        booked_hours=_hours(booked),
        used_hours=_hours(used),
        booked_share=share(booked, available),
        used_share=share(used, available),
    )

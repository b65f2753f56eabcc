"""Utilisation (staff): the lab's booked, used and downtime hours per week as a chart, and each instrument's and
company's share, a run of weeks at a time, with links to the CSV files."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from litestar import Controller, Response, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from api.auth import requires_staff
from api.pages.engineers.utilisation_chart import CHART_HEIGHT, WEEK_WIDTH, chart, per_company, per_instrument
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import LabSettings, Utilisation
from api.utilisation import CSV_MEDIA_TYPE, csv_response, first_week
from labsys.utilisation.export import companies_csv, instruments_csv
from labsys.weeks import iso_week

__all__ = ["UtilisationPage"]

FirstWeek = Annotated[str | None, QueryParameter(name="from")]


class UtilisationPage(Controller):
    """``/utilisation``."""

    include_in_schema = False
    guards = [requires_staff]

    @get("/utilisation", sync_to_thread=True)
    def utilisation(
        self, person: Person, utilisation_service: Utilisation, settings: LabSettings,
        first: FirstWeek = None, weeks: FromQuery[int] = 4,
    ) -> Template:  # fmt: skip
        """``weeks`` weeks (1 to 26, 4 by default) from the week ``from`` (``2026-W45`` or a date in it; by default
        the weeks up to this one)."""
        figures = utilisation_service.weeks(first_week(first, weeks, settings), weeks, viewer=person)
        monday: date = figures.lab[0].monday
        top, chart_weeks = chart(figures)
        return page(
            "engineers/utilisation.html",
            viewer=person,
            figures=figures,
            sunday=figures.lab[-1].monday + timedelta(days=6),
            top=top,
            chart_weeks=chart_weeks,
            chart_height=CHART_HEIGHT,
            chart_width=WEEK_WIDTH * len(chart_weeks),
            instruments=per_instrument(figures),
            companies=per_company(figures),
            earlier=iso_week(monday - timedelta(weeks=weeks)),
            later=iso_week(monday + timedelta(weeks=weeks)),
            query=f"from={figures.first_week}&weeks={figures.weeks}",
        )

    @get("/utilisation/instruments.csv", sync_to_thread=True, media_type=CSV_MEDIA_TYPE)
    def instruments_csv(
        self, person: Person, utilisation_service: Utilisation, settings: LabSettings,
        first: FirstWeek = None, weeks: FromQuery[int] = 4,
    ) -> Response[bytes]:  # fmt: skip
        """The page's instrument-weeks as CSV, for a person signed in to the pages (the API's needs a token)."""
        figures = utilisation_service.weeks(first_week(first, weeks, settings), weeks, viewer=person)
        return csv_response(instruments_csv(figures), "instruments", figures)

    @get("/utilisation/companies.csv", sync_to_thread=True, media_type=CSV_MEDIA_TYPE)
    def companies_csv(
        self, person: Person, utilisation_service: Utilisation, settings: LabSettings,
        first: FirstWeek = None, weeks: FromQuery[int] = 4,
    ) -> Response[bytes]:  # fmt: skip
        """The page's company-weeks as CSV."""
        figures = utilisation_service.weeks(first_week(first, weeks, settings), weeks, viewer=person)
        return csv_response(companies_csv(figures), "companies", figures)

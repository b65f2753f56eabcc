"""Utilisation for the lab's staff: hours booked, used and lost to downtime per instrument, company and week, as
JSON and as CSV files a spreadsheet opens."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter
from litestar.security.jwt import Token

from api.auth import requires_staff
from api.state import LabSettings, Utilisation
from labsys.companies.accounts import Account
from labsys.settings import Settings
from labsys.timeutil import lab_today
from labsys.utilisation.export import companies_csv, instruments_csv
from labsys.utilisation.schemas import UtilisationPublic
from labsys.utilisation.service import MAX_WEEKS
from labsys.weeks import week_day

__all__ = ["CSV_MEDIA_TYPE", "UtilisationController", "csv_response", "first_week"]

#: Litestar adds ``; charset=utf-8`` to a text type itself, once.
CSV_MEDIA_TYPE = "text/csv"

SignedIn = Request[Account, Token, Any]
FirstWeek = Annotated[
    str | None,
    QueryParameter(
        name="from",
        max_length=20,
        description="the first week: an ISO week (2026-W45) or a date in it; by default the last `weeks` weeks "
        "up to this one",
    ),
]
Weeks = Annotated[int, QueryParameter(ge=1, le=MAX_WEEKS, description="how many weeks, 1 to 26")]


def first_week(first: str | None, weeks: int, settings: Settings) -> date:
    """The day the first week is named by, or the Monday ``weeks - 1`` weeks before this week's."""
    today = lab_today(settings.zone)
    if first is None:
        return today - timedelta(days=today.weekday(), weeks=max(weeks, 1) - 1)
    return week_day(first, today)


def csv_response(content: bytes, name: str, figures: UtilisationPublic) -> Response[bytes]:
    """``content`` as a CSV file to save, named by ``name`` and the weeks it covers."""
    filename = f"utilisation-{name}-{figures.first_week}-{figures.weeks}w.csv"
    return Response(
        content,
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-cache"},
    )


class UtilisationController(Controller):
    """``/api/utilisation``: the lab's staff see how its instrument time was booked, used and lost."""

    path = "/api/utilisation"
    tags = ["utilisation"]
    guards = [requires_staff]

    @get("/", sync_to_thread=True)
    def utilisation(
        self, utilisation_service: Utilisation, settings: LabSettings, request: SignedIn,
        first: FirstWeek = None, weeks: Weeks = 4,
    ) -> UtilisationPublic:  # fmt: skip
        """Hours per lab week (Monday to Sunday, lab zone): for the lab, for each instrument (open, downtime,
        available, booked, used, and the booked and used shares of the available hours) and for each company
        (booked, used). Booked time counts active reservations and no-shows' released ones (held, then wasted);
        cancelled and rescheduled bookings' time was freed and does not count."""
        return utilisation_service.weeks(first_week(first, weeks, settings), weeks, viewer=request.user)

    @get("/instruments.csv", sync_to_thread=True, media_type=CSV_MEDIA_TYPE)
    def instruments_csv(
        self, utilisation_service: Utilisation, settings: LabSettings, request: SignedIn,
        first: FirstWeek = None, weeks: Weeks = 4,
    ) -> Response[bytes]:  # fmt: skip
        """The instrument-weeks as CSV (UTF-8 with a byte-order mark, so Excel reads Hangul right): a header row,
        then one row per instrument and week."""
        figures = utilisation_service.weeks(first_week(first, weeks, settings), weeks, viewer=request.user)
        return csv_response(instruments_csv(figures), "instruments", figures)

    @get("/companies.csv", sync_to_thread=True, media_type=CSV_MEDIA_TYPE)
    def companies_csv(
        self, utilisation_service: Utilisation, settings: LabSettings, request: SignedIn,
        first: FirstWeek = None, weeks: Weeks = 4,
    ) -> Response[bytes]:  # fmt: skip
        """The company-weeks as CSV (UTF-8 with a byte-order mark): a header row, then one row per company and week
        it booked in."""
        figures = utilisation_service.weeks(first_week(first, weeks, settings), weeks, viewer=request.user)
        return csv_response(companies_csv(figures), "companies", figures)

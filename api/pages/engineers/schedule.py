"""The week's schedule (staff): each instrument's reservations as a timeline, a week at a time."""

from __future__ import annotations

from datetime import timedelta

from litestar import Controller, get
from litestar.params import FromQuery
from litestar.response import Template

from api.auth import requires_staff
from api.pages.engineers.timeline import lay_out
from api.pages.engineers.words import INSTRUMENT_STATUSES, labels
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Bookings, LabSettings
from labsys.timeutil import lab_today
from labsys.weeks import iso_week, week_day

__all__ = ["SchedulePage"]


class SchedulePage(Controller):
    """``/schedule``."""

    include_in_schema = False
    guards = [requires_staff]

    @get("/schedule", sync_to_thread=True)
    def schedule(
        self, person: Person, booking_service: Bookings, settings: LabSettings, week: FromQuery[str | None] = None
    ) -> Template:
        """The week ``week`` (``2026-W49`` or a date in it; this week by default): a row per instrument, a column
        per working day, each reservation a block that links to its booking."""
        today = lab_today(settings.zone)
        schedule = booking_service.week(week_day(week, today), viewer=person)
        monday = schedule.monday
        return page(
            "engineers/schedule.html",
            viewer=person,
            timeline=lay_out(schedule, today),
            monday=monday,
            sunday=monday + timedelta(days=6),
            this_week=iso_week(monday),
            previous_week=iso_week(monday - timedelta(days=7)),
            next_week=iso_week(monday + timedelta(days=7)),
            current_week=iso_week(today),
            instrument_statuses=labels(INSTRUMENT_STATUSES),
        )

"""The bookings as a calendar file, fetched with the session: the same feed as ``GET /api/bookings/calendar.ics``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from api.pages.viewer import Person
from api.state import Bookings, LabSettings

__all__ = ["CalendarFeed"]


class CalendarFeed(Controller):
    """``/calendar.ics``."""

    include_in_schema = False

    @get("/calendar.ics", sync_to_thread=True, media_type="text/calendar")
    def calendar(
        self, person: Person, booking_service: Bookings, settings: LabSettings, request: Request[Any, Any, Any]
    ) -> Response[bytes]:
        """The person's company's bookings (staff: every company's) as an iCalendar file."""
        host = request.url.hostname or "labsys"
        feed = booking_service.calendar(viewer=person, lab_name=settings.lab_name, host=host)
        return Response(
            feed,
            media_type="text/calendar",
            headers={"Content-Disposition": 'inline; filename="bookings.ics"', "Cache-Control": "private, no-cache"},
        )

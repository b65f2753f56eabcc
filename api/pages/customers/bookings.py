"""A company's bookings: the list, newest first (staff see every company's)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromQuery
from litestar.response import Template

from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Bookings

__all__ = ["BookingPages"]

#: Bookings per page of the list.
PAGE_SIZE = 25


class BookingPages(Controller):
    """``/bookings``."""

    include_in_schema = False

    @get("/bookings", sync_to_thread=True)
    def bookings(self, person: Person, booking_service: Bookings, page_number: FromQuery[int] = 1) -> Template:
        """The bookings the person may see, newest first, a page at a time."""
        number = max(page_number, 1)
        found = booking_service.list_bookings(viewer=person, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        pages = max((found.count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        return page("customers/bookings.html", viewer=person, bookings=found.data, number=number, pages=pages)

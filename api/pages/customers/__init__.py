"""The customer's pages: registering their company, booking tests, their bookings with the samples' runs and the
reports, and their bookings as a calendar."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.customers.booking_form import BookingForm
from api.pages.customers.bookings import BookingPages
from api.pages.customers.calendar import CalendarFeed
from api.pages.customers.registration import Registration
from api.pages.customers.reschedule import ReschedulePages

__all__ = ["CUSTOMER_PAGES"]

CUSTOMER_PAGES: list[ControllerRouterHandler] = [Registration, BookingPages, BookingForm, ReschedulePages, CalendarFeed]

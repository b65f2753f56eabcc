"""The customer's pages: their company, their bookings, their samples' runs and their reports."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.customers.bookings import BookingPages

__all__ = ["CUSTOMER_PAGES"]

CUSTOMER_PAGES: list[ControllerRouterHandler] = [BookingPages]

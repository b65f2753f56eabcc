"""Instruments' downtime: maintenance and repair blocks, and the bookings a new block displaces."""

from labsys.downtime.service import DowntimeService

__all__ = ["DowntimeService"]

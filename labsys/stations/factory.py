"""Building the station ``labsys serve`` and ``labsys station`` run."""

from __future__ import annotations

import logging

from labsys.bookings.no_show import sweep_no_shows
from labsys.db import Database
from labsys.settings import Settings
from labsys.stations.analyses import PROGRAMS
from labsys.stations.station import Station
from labsys.stations.visa import VisaConnector
from labsys.timeutil import lab_today

__all__ = ["build_station", "release_no_shows_logged"]

log = logging.getLogger(__name__)


def build_station(settings: Settings, db: Database) -> Station:
    """The station named in the settings, running every catalog method's program over VISA."""
    return Station(
        name=settings.station_name,
        db=db,
        data_dir=settings.data_dir,
        programs=PROGRAMS,
        connector=VisaConnector(timeout_ms=settings.instrument_timeout_ms, visa_library=settings.visa_library),
        today=lambda: lab_today(settings.zone),
        housekeeping=lambda: release_no_shows_logged(db, settings),
    )


def release_no_shows_logged(db: Database, settings: Settings) -> list[int]:
    """Release the lab's no-shows (every station sweeps; the database lets one release each), logging them."""
    released = sweep_no_shows(db, grace=settings.no_show_after)
    if released:
        log.info("released the slots of no-show bookings %s", released)
    return released

"""Building the station ``labsys serve`` and ``labsys station`` run."""

from __future__ import annotations

from labsys.db import Database
from labsys.settings import Settings
from labsys.stations.analyses import PROGRAMS
from labsys.stations.station import Station
from labsys.stations.visa import VisaConnector
from labsys.timeutil import lab_today

__all__ = ["build_station"]


def build_station(settings: Settings, db: Database) -> Station:
    """The station named in the settings, running every catalog method's program over VISA."""
    return Station(
        name=settings.station_name,
        db=db,
        data_dir=settings.data_dir,
        programs=PROGRAMS,
        connector=VisaConnector(timeout_ms=settings.instrument_timeout_ms, visa_library=settings.visa_library),
        today=lambda: lab_today(settings.zone),
    )

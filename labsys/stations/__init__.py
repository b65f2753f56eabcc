"""Stations: the process on the instrument PC that claims queued runs and executes them."""

from labsys.stations.station import Station

__all__ = ["Station"]

"""A 2450's reading buffers (``defbuffer1``, ``defbuffer2``): what each reading stored, and their statistics."""

from __future__ import annotations

import math
import statistics
import time
from collections import deque
from dataclasses import dataclass

from instruments.sim.scpi import ILLEGAL_PARAMETER_VALUE, ScpiError

__all__ = ["BUFFER_NAMES", "BufferedReading", "ReadingBuffer", "check_buffer_name"]

#: The buffers a 2450 always has (names are not case-sensitive).
BUFFER_NAMES = ("defbuffer1", "defbuffer2")
_DEFAULT_CAPACITY = 100_000


def check_buffer_name(name: str) -> None:
    """Refuse a buffer the instrument does not have.

    Raises:
        ScpiError: ``-224,"Illegal parameter value"``.
    """
    if name.lower() not in BUFFER_NAMES:
        raise ScpiError(ILLEGAL_PARAMETER_VALUE)


@dataclass(frozen=True, slots=True)
class BufferedReading:
    """One reading as a buffer keeps it: the measurement, the source value, the measure and source functions."""

    reading: float
    source: float
    measure_function: str
    source_function: str
    at_s: float


_UNITS = {"VOLT": "Volt DC", "VOLT:DC": "Volt DC", "CURR": "Amp DC", "CURR:DC": "Amp DC", "RES": "Ohm"}


class ReadingBuffer:
    """A fixed-size buffer of readings; the oldest reading goes when it is full."""

    def __init__(self, capacity: int = _DEFAULT_CAPACITY) -> None:
        self.readings: deque[BufferedReading] = deque(maxlen=capacity)

    @property
    def capacity(self) -> int:
        """Get how many readings the buffer holds."""
        return self.readings.maxlen or 0

    def resize(self, capacity: int) -> None:
        """Set the size; the readings are cleared, as the 2450 clears them."""
        self.readings = deque(maxlen=capacity)

    def add(self, reading: BufferedReading) -> None:
        """Store a reading."""
        self.readings.append(reading)

    def statistic(self, name: str) -> float:
        """Get ``average``, ``maximum``, ``minimum`` or ``stddev`` of the readings (9.91E+37 if there are none)."""
        values = [entry.reading for entry in self.readings]
        if not values or (name == "stddev" and len(values) < 2):
            return math.nan
        if name == "average":
            return statistics.fmean(values)
        if name == "stddev":
            return statistics.stdev(values)
        return max(values) if name == "maximum" else min(values)

    def element(self, entry: BufferedReading, element: str) -> str | float:
        """Get one buffer element of a reading (the short form of any the 2450 has: ``READ``, ``SOUR``, ``REL``...)."""
        first = self.readings[0].at_s if self.readings else entry.at_s
        when = time.gmtime(entry.at_s)
        values: dict[str, str | float] = {
            "DATE": time.strftime("%m/%d/%Y", when),
            "TIME": time.strftime("%H:%M:%S", when) + f"{entry.at_s % 1.0:.9f}"[1:],
            "FORM": f"{entry.reading:+.5E} {_UNITS.get(entry.measure_function, 'Amp DC').split()[0][0]}",
            "SOURFORM": f"{entry.source:+.5E} {_UNITS.get(entry.source_function, 'Volt DC').split()[0][0]}",
            "READ": entry.reading,
            "SOUR": entry.source,
            "REL": entry.at_s - first,
            "SEC": float(int(entry.at_s)),
            "FRAC": entry.at_s % 1.0,
            "STAT": 0.0,
            "SOURSTAT": 0.0,
            "UNIT": _UNITS.get(entry.measure_function, "Amp DC"),
            "SOURUNIT": _UNITS.get(entry.source_function, "Volt DC"),
            "TST": time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(entry.at_s)),
        }
        return values[element]

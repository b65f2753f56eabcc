"""A schedule: where and when each placed booking's work is done, by whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias

__all__ = ["Placement", "Schedule"]


@dataclass(frozen=True)
class Placement:
    """One booking's work: ``[start, end)`` on these instruments (one per kind, in the method's order), by one
    engineer."""

    booking_id: int
    start: datetime
    end: datetime
    instrument_ids: tuple[int, ...]
    engineer_id: int


#: The placed bookings, by booking id; a booking that is not in it is left unplaced.
Schedule: TypeAlias = dict[int, Placement]

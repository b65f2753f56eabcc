"""Who holds what when: the busy spans of instruments and engineers while a schedule is built one booking at a time."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import datetime, timedelta

from labsys.planning.problem import PlanningProblem
from labsys.planning.schedule import Placement

__all__ = ["Occupancy"]


class Occupancy:
    """The spans held so far: an instrument for the work plus its setup buffer, an engineer for the work."""

    def __init__(self, problem: PlanningProblem) -> None:
        self._setup = {i.id: timedelta(minutes=i.setup_buffer_min) for i in problem.instruments}
        self._instruments: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        self._engineers: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)

    def instrument_free(self, instrument_id: int, start: datetime, end: datetime) -> bool:
        """Whether the instrument can take work ``[start, end)`` and its setup buffer."""
        return _free(self._instruments[instrument_id], start, end + self._setup[instrument_id])

    def engineer_free(self, engineer_id: int, start: datetime, end: datetime) -> bool:
        """Whether the engineer has no other work over ``[start, end)``."""
        return _free(self._engineers[engineer_id], start, end)

    def fits(self, placement: Placement) -> bool:
        """Whether ``placement`` collides with nothing held so far."""
        return self.engineer_free(placement.engineer_id, placement.start, placement.end) and all(
            self.instrument_free(i, placement.start, placement.end) for i in placement.instrument_ids
        )

    def hold(self, placement: Placement) -> None:
        """Record ``placement``'s spans as held."""
        for instrument_id in placement.instrument_ids:
            span = (placement.start, placement.end + self._setup[instrument_id])
            bisect.insort(self._instruments[instrument_id], span)
        bisect.insort(self._engineers[placement.engineer_id], (placement.start, placement.end))


def _free(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    at = bisect.bisect_left(spans, (start, start))
    before_ok = at == 0 or spans[at - 1][1] <= start
    after_ok = at == len(spans) or end <= spans[at][0]
    return before_ok and after_ok

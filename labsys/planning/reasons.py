"""Why a booking cannot be placed at all, in words a lab manager understands — found before solving.

These are the structural reasons: nothing another booking does would change them. A booking that passes them
all but still finds no room is left unplaced because the horizon is full (:data:`NO_ROOM`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from labsys.planning.candidates import grid_starts, instrument_usable, qualified_engineers
from labsys.planning.problem import Booking, PlanningProblem

__all__ = ["NO_ROOM", "structural_reason"]

NO_ROOM = "no room before the horizon ends: every fitting slot is taken by other work"


def structural_reason(problem: PlanningProblem, booking: Booking, candidates: list[datetime]) -> str | None:
    """Why ``booking`` could not be placed even in an empty lab, or None if it could (it has ``candidates``).

    ``candidates`` are its candidate starts (:func:`~labsys.planning.candidates.candidate_starts`).
    """
    if candidates:
        return None
    return _lab_reason(problem, booking) or _time_reason(problem, booking) or _ANYWAY


_ANYWAY = "no time when an instrument of each kind and a qualified engineer are all there before the horizon ends"


def _lab_reason(problem: PlanningProblem, booking: Booking) -> str | None:
    """What the lab lacks for the booking, whatever the time."""
    for kind in booking.kinds:
        if not problem.instruments_of(kind):
            return f"the lab has no {kind} instrument"
    if not qualified_engineers(problem, booking):
        return f"no engineer is qualified for {' and '.join(booking.kinds)}"
    longest = max((w.end - w.start for w in problem.open_windows), default=timedelta())
    if booking.duration > longest:
        return f"the work takes {booking.duration_min} min, longer than the lab is open in a day"
    return None


def _time_reason(problem: PlanningProblem, booking: Booking) -> str | None:
    """What is missing at every time the work could run."""
    starts = list(grid_starts(problem, booking))
    if not starts:
        released = problem.policy.lab_date(booking.release).isoformat()
        return f"no opening hours between its release ({released}) and the end of the horizon"
    promised = booking.promised.isoformat()
    for kind in booking.kinds:
        if not any(
            instrument_usable(problem, i, s, s + booking.duration) for i in problem.instruments_of(kind) for s in starts
        ):
            return f"no {kind} instrument is in service and calibrated when the work could run (promised {promised})"
    engineers = qualified_engineers(problem, booking)
    if not any(e.available_over(s, s + booking.duration) for e in engineers for s in starts):
        return f"no engineer qualified for {' and '.join(booking.kinds)} is at work for {booking.duration_min} min"
    return None

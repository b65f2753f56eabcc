"""The baseline: what a booking system does today, first come first served, first free slot, nothing ever moves.

Confirmed reservations stay where they are (if they still keep the rules); then the waiting bookings, in the order
their samples arrived, each take the earliest grid start where some instrument of each kind and a qualified
engineer at work are free — the lowest ids first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from labsys.planning.candidates import engineer_usable, grid_starts, instrument_usable, qualified_engineers
from labsys.planning.occupancy import Occupancy
from labsys.planning.problem import Booking, Engineer, Instrument, PlanningProblem
from labsys.planning.schedule import Placement, Schedule
from labsys.planning.validity import placement_faults

__all__ = ["arrival", "deadline", "first_free_schedule", "first_free_slot", "kept_reservations"]


def arrival(booking: Booking) -> tuple[datetime, int]:
    """First come, first served: the order samples arrived in."""
    return booking.received, booking.id


def deadline(booking: Booking) -> tuple[datetime, bool, int]:
    """Earliest promise first, urgent first among equal promises."""
    return booking.promised_by, not booking.urgent, booking.id


def first_free_schedule(problem: PlanningProblem, order: Callable[[Booking], tuple[object, ...]] = arrival) -> Schedule:
    """The schedule the first-free-slot booking system would make of ``problem``, taking bookings in ``order``."""
    occupancy = Occupancy(problem)
    schedule = kept_reservations(problem, occupancy)
    waiting = sorted((b for b in problem.bookings if b.id not in schedule), key=order)
    for booking in waiting:
        placement = first_free_slot(problem, booking, occupancy)
        if placement is not None:
            occupancy.hold(placement)
            schedule[booking.id] = placement
    return schedule


def kept_reservations(problem: PlanningProblem, occupancy: Occupancy) -> Schedule:
    """The confirmed reservations that still keep the rules, held in ``occupancy`` (earlier confirmations first)."""
    schedule: Schedule = {}
    for booking in sorted(problem.bookings, key=lambda b: (b.received, b.id)):
        current = booking.current
        if current is None or current.engineer_id is None:
            continue
        placement = Placement(
            booking.id, current.start, current.start + booking.duration, current.instrument_ids, current.engineer_id
        )
        if not placement_faults(problem, booking, placement) and occupancy.fits(placement):
            occupancy.hold(placement)
            schedule[booking.id] = placement
    return schedule


def first_free_slot(problem: PlanningProblem, booking: Booking, occupancy: Occupancy) -> Placement | None:
    """The earliest placement of ``booking`` that collides with nothing in ``occupancy``, or None."""
    by_kind = [problem.instruments_of(kind) for kind in booking.kinds]
    engineers = qualified_engineers(problem, booking)
    for start in grid_starts(problem, booking):
        placement = _fit_at(problem, booking, start, by_kind=by_kind, engineers=engineers, occupancy=occupancy)
        if placement is not None:
            return placement
    return None


def _fit_at(
    problem: PlanningProblem,
    booking: Booking,
    start: datetime,
    *,
    by_kind: list[list[Instrument]],
    engineers: list[Engineer],
    occupancy: Occupancy,
) -> Placement | None:
    end = start + booking.duration
    engineer = next(
        (e for e in engineers if engineer_usable(e, booking, start, end) and occupancy.engineer_free(e.id, start, end)),
        None,
    )
    if engineer is None:
        return None
    chosen = []
    for group in by_kind:
        instrument = next(
            (
                i
                for i in group
                if i.id not in chosen
                and instrument_usable(problem, i, start, end)
                and occupancy.instrument_free(i.id, start, end)
            ),
            None,
        )
        if instrument is None:
            return None
        chosen.append(instrument.id)
    return Placement(booking.id, start, end, tuple(chosen), engineer.id)

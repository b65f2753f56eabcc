"""Whether a schedule keeps every rule of the lab: the check a proposal must pass before anyone applies it."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from labsys.planning.candidates import engineer_usable, instrument_usable
from labsys.planning.problem import Booking, PlanningProblem
from labsys.planning.schedule import Placement, Schedule

__all__ = ["placement_faults", "violations"]


def violations(problem: PlanningProblem, schedule: Schedule) -> list[str]:
    """Every way ``schedule`` breaks the lab's rules, in words; empty when it keeps them all.

    Each placement must be its booking's whole work, on the slot grid within one day's opening hours, inside the
    horizon and not before the release; on one usable instrument of each kind the method needs (calibrated through
    the end's day, in no downtime until its setup buffer is over) and with a qualified engineer at work throughout.
    No instrument holds two works (setup buffers included) and no engineer does two at once.
    """
    bookings = {b.id: b for b in problem.bookings}
    found = []
    for placement in schedule.values():
        booking = bookings.get(placement.booking_id)
        if booking is None:
            found.append(f"booking {placement.booking_id} is not in the problem")
            continue
        found.extend(f"booking {booking.id}: {why}" for why in placement_faults(problem, booking, placement))
    found.extend(_overlaps(problem, schedule.values()))
    return found


def placement_faults(problem: PlanningProblem, booking: Booking, placement: Placement) -> list[str]:
    """How one placement breaks the rules for its own booking (other bookings aside), in words."""
    faults = []
    start, end = placement.start, placement.end
    if end - start != booking.duration:
        faults.append(f"lasts {end - start}, the work takes {booking.duration}")
    if start < booking.release or start < problem.start or end > problem.end:
        faults.append(f"starts {start} before its release {booking.release} or lies outside the horizon")
    window = next((w for w in problem.open_windows if w.covers(start, end)), None)
    if window is None:
        faults.append(f"[{start}, {end}) is not within one day's opening hours")
    elif (start - window.start) % timedelta(minutes=problem.grid_min):
        faults.append(f"starts {start} off the slot grid")
    instruments = {i.id: i for i in problem.instruments}
    held = [instruments.get(i) for i in placement.instrument_ids]
    if [i.kind if i else None for i in held] != list(booking.kinds):
        faults.append(f"holds instruments {placement.instrument_ids}, the method needs {booking.kinds}")
    faults.extend(
        f"instrument {i.asset_tag} is out of calibration or in downtime"
        for i in held
        if i is not None and not instrument_usable(problem, i, start, end)
    )
    engineer = next((e for e in problem.engineers if e.id == placement.engineer_id), None)
    if engineer is None or not engineer_usable(engineer, booking, start, end):
        faults.append(f"engineer {placement.engineer_id} is not qualified or not at work throughout")
    return faults


def _overlaps(problem: PlanningProblem, placements: Iterable[Placement]) -> list[str]:
    setup = {i.id: timedelta(minutes=i.setup_buffer_min) for i in problem.instruments}
    spans: dict[str, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for p in placements:
        for instrument_id in p.instrument_ids:
            spans[f"instrument {instrument_id}"].append(
                (p.start, p.end + setup.get(instrument_id, timedelta()), p.booking_id)
            )
        spans[f"engineer {p.engineer_id}"].append((p.start, p.end, p.booking_id))
    found: list[str] = []
    for holder, held in spans.items():
        held.sort()
        found.extend(
            f"{holder} holds bookings {a[2]} and {b[2]} at once" for a, b in itertools.pairwise(held) if b[0] < a[1]
        )
    return found

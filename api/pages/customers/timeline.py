"""A booking's way through the lab as a timeline: each step of its lifecycle, done, current or to come, with the
time it was reached where the lab's records say it.

The records keep when a booking was requested (and quoted, at once), when its samples arrived, when testing began
(its first run), when its first report was issued and when its samples were released; the other steps show no time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from labsys.bookings.models import BookingPublic, BookingStatus
from labsys.certificates.models import CertificatePublic
from labsys.runs.models import RunPublic

__all__ = ["MAIN_PATH", "Step", "timeline"]

S = BookingStatus

#: The steps of a booking that goes the whole way, in order.
MAIN_PATH = (S.REQUESTED, S.QUOTED, S.CONFIRMED, S.SAMPLE_RECEIVED, S.TESTING, S.IN_REVIEW, S.REPORTED, S.CLOSED)


@dataclass(frozen=True)
class Step:
    """A step of the timeline: ``state`` is ``done``, ``current`` or ``upcoming``; ``at`` when it was reached, if
    known."""

    status: BookingStatus
    state: str
    at: datetime | None


def _earliest(times: Sequence[datetime | None]) -> datetime | None:
    known = [t for t in times if t is not None]
    return min(known) if known else None


def _latest(times: Sequence[datetime | None]) -> datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _reached_at(
    booking: BookingPublic, runs: Sequence[RunPublic], certificates: Sequence[CertificatePublic]
) -> dict[BookingStatus, datetime | None]:
    received = [s.received_at for s in booking.samples]
    released = [s.disposition_at for s in booking.samples]
    return {
        S.REQUESTED: booking.created_at,
        S.QUOTED: booking.created_at,
        S.SAMPLE_RECEIVED: _latest(received) if all(received) else None,
        S.TESTING: _earliest([r.started_at for r in runs]),
        S.REPORTED: _earliest([c.issued_at for c in certificates]),
        S.CLOSED: _latest(released) if all(released) else None,
    }


def timeline(
    booking: BookingPublic, runs: Sequence[RunPublic], certificates: Sequence[CertificatePublic]
) -> list[Step]:
    """The steps of ``booking``: the whole way for a booking on it, or the steps it took before it was cancelled
    or rejected and that end."""
    reached = _reached_at(booking, runs, certificates)
    if booking.status in MAIN_PATH:
        now = MAIN_PATH.index(booking.status)
        return [
            Step(status, "done" if i < now else "current" if i == now else "upcoming", reached.get(status))
            for i, status in enumerate(MAIN_PATH)
        ]
    taken = [s for s in MAIN_PATH if s in (S.REQUESTED, S.QUOTED) or reached.get(s) is not None]
    # Nothing happens to a cancelled or rejected booking afterwards: its last change is when it ended.
    return [Step(s, "done", reached.get(s)) for s in taken] + [Step(booking.status, "current", booking.updated_at)]

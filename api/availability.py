"""Free slots for a method: when the lab could run it, on which instruments."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromQuery

from api.auth import Principal
from api.state import DB, lab_state
from labsys.bookings.schemas import SlotPublic
from labsys.db.types import utcnow
from labsys.errors import InvalidInput
from labsys.methods.service import get_method
from labsys.scheduling import find_slots, policy_for
from labsys.scheduling.availability import MAX_WINDOW

__all__ = ["AvailabilityController"]


def _aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None:
        raise InvalidInput(name, f"{name} needs a time zone (e.g. 2026-12-01T09:00:00+09:00)")
    return value


class AvailabilityController(Controller):
    """``/api/availability``: every signed-in user may ask when a method can be booked."""

    path = "/api/availability"
    tags = ["bookings"]

    @get("/", sync_to_thread=True)
    def availability(
        self,
        db: DB,
        request: Request[Principal, Any, Any],
        method: FromQuery[str],
        start: FromQuery[datetime | None] = None,
        end: FromQuery[datetime | None] = None,
    ) -> list[SlotPublic]:
        """The free slots for ``method`` starting in ``[start, end)`` (default: the coming week), earliest first.

        A slot holds one instrument of every kind the method needs, all free together, on the lab's slot grid
        within opening hours, and obeys every booking rule for your company (notice, advance, weekly quota).
        """
        now = utcnow()
        window_start = _aware("start", start) if start else now
        window_end = _aware("end", end) if end else window_start + timedelta(days=7)
        if window_end <= window_start or window_end - window_start > MAX_WINDOW:
            raise InvalidInput("end", f"end must come after start, at most {MAX_WINDOW.days} days later")
        principal = request.user
        slots = find_slots(
            session=db,
            method=get_method(session=db, code=method),
            policy=policy_for(lab_state(request.app.state).settings),
            now=now,
            start=window_start,
            end=window_end,
            company_id=None if principal.is_staff else principal.company_id,
        )
        return [
            SlotPublic(instruments=[i.asset_tag for i in slot.instruments], start=slot.start, end=slot.end)
            for slot in slots
        ]

"""Instruments' downtime, for staff: maintenance and repair blocks, and the bookings a new block displaces."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.security.jwt import Token

from api.auth import requires_staff
from api.state import Downtimes
from labsys.companies.accounts import Account
from labsys.downtime.schemas import DowntimeAdded, DowntimeCreate, DowntimesPublic

__all__ = ["DowntimeController"]

SignedIn = Request[Account, Token, Any]


class DowntimeController(Controller):
    """``/api/instruments/{asset_tag}/downtime``: staff block an instrument for maintenance or repair."""

    path = "/api/instruments/{asset_tag:str}/downtime"
    tags = ["instruments"]
    guards = [requires_staff]

    @get("/", sync_to_thread=True)
    def list_downtime(self, asset_tag: FromPath[str], downtime_service: Downtimes) -> DowntimesPublic:
        """The instrument's maintenance and repair blocks, by start."""
        return downtime_service.list(asset_tag)

    @post("/", sync_to_thread=True)
    def add_downtime(
        self, asset_tag: FromPath[str], data: JSONBody[DowntimeCreate], downtime_service: Downtimes, request: SignedIn
    ) -> DowntimeAdded:
        """Block the instrument from ``starts_at`` to ``ends_at`` (audited). Bookings already holding it then keep
        their slot until they are moved; the answer lists them (``displaced``). No new booking or reschedule takes
        the instrument during the block."""
        return downtime_service.add(asset_tag, data, by=request.user.actor)

    @delete("/{downtime_id:int}", sync_to_thread=True)
    def remove_downtime(
        self, asset_tag: FromPath[str], downtime_id: FromPath[int], downtime_service: Downtimes, request: SignedIn
    ) -> None:
        """Remove a downtime block (audited): the instrument can be booked then again."""
        downtime_service.remove(asset_tag, downtime_id, by=request.user.actor)

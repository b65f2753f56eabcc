"""The lab's equipment, for staff."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.security.jwt import Token

from api.auth import requires, requires_staff
from api.state import Equipment
from labsys.companies.accounts import Account
from labsys.companies.models import Role
from labsys.equipment.models import InstrumentCreate, InstrumentPublic, InstrumentsPublic
from labsys.equipment.schemas import CalibrationRecord, StatusChange

__all__ = ["InstrumentController"]

SignedIn = Request[Account, Token, Any]


class InstrumentController(Controller):
    """``/api/instruments``: staff see the equipment, record calibrations and take instruments out of service."""

    path = "/api/instruments"
    tags = ["instruments"]
    guards = [requires_staff]

    @get("/", sync_to_thread=True)
    def list_instruments(self, equipment_service: Equipment, kind: FromQuery[str | None] = None) -> InstrumentsPublic:
        """Every instrument with its calibration state and whether it may be used today."""
        return equipment_service.list_instruments(kind)

    @post("/", guards=[requires(Role.ADMIN)], sync_to_thread=True)
    def add_instrument(
        self, data: JSONBody[InstrumentCreate], equipment_service: Equipment, request: SignedIn
    ) -> InstrumentPublic:
        """Register an instrument (admin)."""
        return equipment_service.add_instrument(data, by=request.user.actor)

    @post("/{asset_tag:str}/calibrations", sync_to_thread=True)
    def record_calibration(
        self,
        asset_tag: FromPath[str],
        data: JSONBody[CalibrationRecord],
        equipment_service: Equipment,
        request: SignedIn,
    ) -> InstrumentPublic:
        """Record a calibration: date done, due date and certificate number (audited)."""
        return equipment_service.record_calibration(asset_tag, data, by=request.user.actor)

    @post("/{asset_tag:str}/status", sync_to_thread=True)
    def set_status(
        self, asset_tag: FromPath[str], data: JSONBody[StatusChange], equipment_service: Equipment, request: SignedIn
    ) -> InstrumentPublic:
        """Take an instrument out of service or return it, with the reason (audited)."""
        return equipment_service.set_status(asset_tag, data, by=request.user.actor)

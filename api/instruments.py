"""The lab's equipment, for staff."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from api.auth import Principal, requires, requires_staff
from api.state import DB, lab_state
from labsys.companies.models import Role
from labsys.equipment import service
from labsys.equipment.models import Instrument
from labsys.equipment.schemas import (
    CalibrationRecord,
    InstrumentCreate,
    InstrumentPublic,
    InstrumentsPublic,
    StatusChange,
)
from labsys.timeutil import lab_today

__all__ = ["InstrumentController"]


def _public(instrument: Instrument, request: Request[Any, Any, Any]) -> InstrumentPublic:
    today = lab_today(lab_state(request.app.state).settings.zone)
    return InstrumentPublic.model_validate(
        {
            **instrument.model_dump(),
            "calibration_state": service.calibration_state(instrument, today),
            "usable_today": instrument.usable_on(today),
        }
    )


class InstrumentController(Controller):
    """``/api/instruments``: staff see the equipment, record calibrations and take instruments out of service."""

    path = "/api/instruments"
    tags = ["instruments"]
    guards = [requires_staff]

    @get("/", sync_to_thread=True)
    def list_instruments(
        self, db: DB, request: Request[Principal, Any, Any], kind: FromQuery[str | None] = None
    ) -> InstrumentsPublic:
        """Every instrument with its calibration state and whether it may be used today."""
        data = [_public(i, request) for i in service.list_instruments(session=db, kind=kind)]
        return InstrumentsPublic(data=data, count=len(data))

    @post("/", guards=[requires(Role.ADMIN)], sync_to_thread=True)
    def add_instrument(
        self, data: JSONBody[InstrumentCreate], db: DB, request: Request[Principal, Any, Any]
    ) -> InstrumentPublic:
        """Register an instrument (admin)."""
        return _public(service.add_instrument(session=db, instrument_in=data, actor=request.user.actor), request)

    @post("/{asset_tag:str}/calibrations", sync_to_thread=True)
    def record_calibration(
        self, asset_tag: FromPath[str], data: JSONBody[CalibrationRecord], db: DB, request: Request[Principal, Any, Any]
    ) -> InstrumentPublic:
        """Record a calibration: date done, due date and certificate number (audited)."""
        today = lab_today(lab_state(request.app.state).settings.zone)
        instrument = service.record_calibration(
            session=db, asset_tag=asset_tag, calibration=data, actor=request.user.actor, today=today
        )
        return _public(instrument, request)

    @post("/{asset_tag:str}/status", sync_to_thread=True)
    def set_status(
        self, asset_tag: FromPath[str], data: JSONBody[StatusChange], db: DB, request: Request[Principal, Any, Any]
    ) -> InstrumentPublic:
        """Take an instrument out of service or return it, with the reason (audited)."""
        instrument = service.set_status(session=db, asset_tag=asset_tag, change=data, actor=request.user.actor)
        return _public(instrument, request)

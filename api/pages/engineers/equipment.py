"""The lab's equipment (staff): each instrument's status and calibration, those overdue or due soon first seen, and
the maintenance and repair blocks that have not ended."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from api.auth import requires_staff
from api.pages.engineers.words import CALIBRATION_STATES, INSTRUMENT_STATUSES, labels
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Downtimes, Equipment, LabSettings
from labsys.equipment.models import CalibrationState
from labsys.timeutil import lab_today

__all__ = ["EquipmentPage"]


class EquipmentPage(Controller):
    """``/equipment``."""

    include_in_schema = False
    guards = [requires_staff]

    @get("/equipment", sync_to_thread=True)
    def equipment(
        self, person: Person, equipment_service: Equipment, downtime_service: Downtimes, settings: LabSettings
    ) -> Template:
        """Every instrument: kind, model, where it is cabled, status, and its calibration due date with what it
        means today (overdue, due within 30 days); and the downtime blocks not ended yet."""
        instruments = equipment_service.list_instruments().data
        today = lab_today(settings.zone)
        return page(
            "engineers/equipment.html",
            viewer=person,
            instruments=instruments,
            days_left={i.asset_tag: (i.calibration_due - today).days for i in instruments if i.calibration_due},
            overdue=[i for i in instruments if i.calibration_state == CalibrationState.OVERDUE],
            due_soon=[i for i in instruments if i.calibration_state == CalibrationState.DUE_SOON],
            statuses=labels(INSTRUMENT_STATUSES),
            calibration=labels(CALIBRATION_STATES),
            downtime=downtime_service.upcoming().data,
        )

"""The admin's equipment: every instrument with its calibration, adding one, recording a calibration, and taking
an instrument out of service or back (its downtime blocks: :mod:`api.pages.admin.downtime`)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.auth import requires
from api.pages.admin.downtime_view import DowntimeView, downtime_view
from api.pages.admin.forms import FieldErrors, field_of, typed, validation_errors
from api.pages.admin.words import DOWNTIME_KINDS, INSTRUMENT_STATUSES, admin_page
from api.pages.i18n import gettext
from api.pages.i18n import gettext as _
from api.pages.viewer import Person
from api.state import Accounts, Downtimes, Equipment, LabSettings
from labsys.companies.models import Role
from labsys.equipment.models import CalibrationState, InstrumentCreate, InstrumentPublic, InstrumentStatus
from labsys.equipment.schemas import CalibrationRecord, StatusChange
from labsys.equipment.service import DUE_SOON_DAYS
from labsys.errors import Conflict, InvalidInput, NotFound
from labsys.scheduling.models import DowntimeKind
from labsys.timeutil import lab_today

__all__ = ["EquipmentPages", "find_instrument", "instrument_page"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

_INSTRUMENT_FIELDS = tuple(InstrumentCreate.model_fields)
# What the form says when the catalogue cannot drive the instrument as entered, by the field at fault.
_UNDRIVABLE = {
    "kind": lambda: _("The lab has no instruments of this kind."),
    "driver": lambda: _("The driver catalogue has no such driver for this kind."),
    "resource": lambda: _("This is not a VISA resource string, e.g. TCPIP0::192.168.1.20::inst0::INSTR."),
}
_CALIBRATION_FIELDS = ("calibrated_on", "calibration_due", "certificate")
_STATUS_FIELDS = ("status", "reason")


def find_instrument(equipment: Equipment, asset_tag: str) -> InstrumentPublic:
    """The instrument with ``asset_tag``.

    Raises:
        NotFound: no such instrument.
    """
    found = next((i for i in equipment.list_instruments().data if i.asset_tag == asset_tag), None)
    if found is None:
        raise NotFound(f"no instrument with asset tag {asset_tag!r}")
    return found


def instrument_page(
    person: Person,
    instrument: InstrumentPublic,
    settings: LabSettings,
    downtime: DowntimeView,
    *,
    calibration: dict[str, str] | None = None,
    calibration_errors: FieldErrors | None = None,
    status: dict[str, str] | None = None,
    status_errors: FieldErrors | None = None,
) -> Template:
    """The admin's page of one instrument: what it is, where it stands, its downtime, and the forms to change them
    (422 when a form comes back with its problems)."""
    return admin_page(
        "admin/instrument.html",
        status_code=422 if calibration_errors or status_errors or downtime.errors else 200,
        viewer=person,
        instrument=instrument,
        statuses=[(status.value, gettext(INSTRUMENT_STATUSES[status])) for status in InstrumentStatus],
        calibration=calibration or {"calibrated_on": lab_today(settings.zone).isoformat()},
        calibration_errors=calibration_errors or {},
        status=status or {"status": instrument.status},
        status_errors=status_errors or {},
        kinds=[(kind.value, gettext(DOWNTIME_KINDS[kind])) for kind in DowntimeKind],
        downtime=downtime,
        zone=str(settings.zone),
    )


class EquipmentPages(Controller):
    """``/admin/equipment``: the lab's instruments, for the admin."""

    path = "/admin/equipment"
    guards = [requires(Role.ADMIN)]
    include_in_schema = False

    @staticmethod
    def _equipment(
        person: Person, equipment: Equipment, *, values: dict[str, str] | None = None, errors: FieldErrors | None = None
    ) -> Template:
        instruments = equipment.list_instruments().data
        states = [i.calibration_state for i in instruments]
        return admin_page(
            "admin/equipment.html",
            status_code=422 if errors else 200,
            viewer=person,
            instruments=instruments,
            overdue=states.count(CalibrationState.OVERDUE),
            due_soon=states.count(CalibrationState.DUE_SOON),
            due_soon_days=DUE_SOON_DAYS,
            known={
                "kinds": sorted({i.kind for i in instruments}),
                "drivers": sorted({i.driver for i in instruments}),
                "stations": sorted({i.station for i in instruments}),
            },
            values=values or {"setup_buffer_min": "15"},
            errors=errors or {},
        )

    @get("/", sync_to_thread=True)
    def equipment(self, person: Person, equipment_service: Equipment) -> Template:
        """Every instrument: identity, where it is cabled, status and calibration (overdue and due soon said in
        words); and the form to add one."""
        return self._equipment(person, equipment_service)

    @post("/", sync_to_thread=True)
    def add_instrument(self, person: Person, equipment_service: Equipment, data: Form) -> Redirect | Template:
        """Register an instrument, as ``POST /api/instruments`` does; on to its page."""
        values = typed(data, _INSTRUMENT_FIELDS)
        try:
            added = equipment_service.add_instrument(InstrumentCreate.model_validate(values), by=person.actor)
        except ValidationError as exc:
            errors = validation_errors(exc, whole="asset_tag")
        except Conflict as exc:
            errors = {field_of(exc, "asset_tag"): _("An instrument with this asset tag already exists.")}
        except InvalidInput as exc:
            errors = {exc.field: _UNDRIVABLE.get(exc.field, _UNDRIVABLE["driver"])()}
        else:
            return Redirect(f"/admin/equipment/{added.asset_tag}", status_code=303)
        return self._equipment(person, equipment_service, values=values, errors=errors)

    @get("/{asset_tag:str}", sync_to_thread=True)
    def instrument(
        self,
        *,
        asset_tag: FromPath[str],
        person: Person,
        equipment_service: Equipment,
        downtime_service: Downtimes,
        account_service: Accounts,
        settings: LabSettings,
        added: FromQuery[int | None] = None,
    ) -> Template:
        """One instrument, its downtime blocks, and the forms to record a calibration, change its status and add a
        block (``?added=<block id>``: the block just added, with the bookings it displaces)."""
        instrument = find_instrument(equipment_service, asset_tag)
        downtime = downtime_view(downtime_service, account_service, asset_tag, zone=settings.zone, added=added)
        return instrument_page(person, instrument, settings, downtime)

    @post("/{asset_tag:str}/calibrations", sync_to_thread=True)
    def record_calibration(
        self,
        *,
        asset_tag: FromPath[str],
        person: Person,
        equipment_service: Equipment,
        downtime_service: Downtimes,
        account_service: Accounts,
        settings: LabSettings,
        data: Form,
    ) -> Redirect | Template:
        """Record a calibration, as ``POST /api/instruments/{tag}/calibrations`` does."""
        values = typed(data, _CALIBRATION_FIELDS)
        try:
            calibration = CalibrationRecord.model_validate(values)
            equipment_service.record_calibration(asset_tag, calibration, by=person.actor)
        except ValidationError as exc:
            refusals = {"calibration_due": _("The due date must come after the calibration date.")}
            errors = validation_errors(exc, whole="calibration_due", refusals=refusals)
        except InvalidInput as exc:
            errors = {field_of(exc, "calibrated_on"): _("The calibration date is in the future: record it once done.")}
        else:
            return Redirect(f"/admin/equipment/{asset_tag}#standing", status_code=303)
        instrument = find_instrument(equipment_service, asset_tag)
        downtime = downtime_view(downtime_service, account_service, asset_tag, zone=settings.zone)
        return instrument_page(person, instrument, settings, downtime, calibration=values, calibration_errors=errors)

    @post("/{asset_tag:str}/status", sync_to_thread=True)
    def set_status(
        self,
        *,
        asset_tag: FromPath[str],
        person: Person,
        equipment_service: Equipment,
        downtime_service: Downtimes,
        account_service: Accounts,
        settings: LabSettings,
        data: Form,
    ) -> Redirect | Template:
        """Take the instrument out of service, retire it or return it, with the reason, as
        ``POST /api/instruments/{tag}/status`` does."""
        values = typed(data, _STATUS_FIELDS)
        try:
            equipment_service.set_status(asset_tag, StatusChange.model_validate(values), by=person.actor)
        except ValidationError as exc:
            errors = validation_errors(exc, whole="status")
        except Conflict:
            errors = {"status": _("A retired instrument cannot return to service.")}
        else:
            return Redirect(f"/admin/equipment/{asset_tag}#standing", status_code=303)
        instrument = find_instrument(equipment_service, asset_tag)
        downtime = downtime_view(downtime_service, account_service, asset_tag, zone=settings.zone)
        return instrument_page(person, instrument, settings, downtime, status=values, status_errors=errors)

"""The admin's forms for an instrument's downtime, on its page (``/admin/equipment/{asset_tag}``): add a
maintenance or repair block, or remove one, as the JSON API does (each change audited by the service)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from api.auth import requires
from api.pages.admin.downtime_form import DOWNTIME_FIELDS, read_block
from api.pages.admin.downtime_view import downtime_view
from api.pages.admin.equipment import find_instrument, instrument_page
from api.pages.admin.forms import typed
from api.pages.viewer import Person
from api.state import Accounts, Downtimes, Equipment, LabSettings
from labsys.companies.models import Role
from labsys.downtime.schemas import DowntimeCreate

__all__ = ["DowntimePages"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class DowntimePages(Controller):
    """``/admin/equipment/{asset_tag}/downtime``: block the instrument for a while, or lift a block."""

    path = "/admin/equipment/{asset_tag:str}/downtime"
    guards = [requires(Role.ADMIN)]
    include_in_schema = False

    @post("/", sync_to_thread=True)
    def add_block(
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
        """Add the block (times typed on the lab's clock); back to the page, which lists the bookings it displaces
        with the weeks to plan again. A bad span gives the form back with what is wrong."""
        values = typed(data, DOWNTIME_FIELDS)
        block = read_block(values, settings.zone)
        if isinstance(block, DowntimeCreate):
            added = downtime_service.add(asset_tag, block, by=person.actor)
            return Redirect(f"/admin/equipment/{asset_tag}?added={added.downtime.id}#downtime", status_code=303)
        instrument = find_instrument(equipment_service, asset_tag)
        downtime = downtime_view(
            downtime_service, account_service, asset_tag, zone=settings.zone, values=values, errors=block
        )
        return instrument_page(person, instrument, settings, downtime)

    @post("/{downtime_id:int}/remove", sync_to_thread=True)
    def remove_block(
        self, asset_tag: FromPath[str], downtime_id: FromPath[int], person: Person, downtime_service: Downtimes
    ) -> Redirect:
        """Remove the block: the instrument can be booked then again."""
        downtime_service.remove(asset_tag, downtime_id, by=person.actor)
        return Redirect(f"/admin/equipment/{asset_tag}#downtime", status_code=303)

"""The simulated bench as the lab sees it: its instruments as equipment records, for the demo lab and tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from instruments.kinds import DRIVER_KINDS
from labsys.equipment.models import InstrumentCreate

if TYPE_CHECKING:
    from instruments.sim import SimulatedBench

__all__ = ["OVERDUE_ASSET_TAGS", "simulated_equipment"]

#: The demo's instrument whose calibration has lapsed: the lab may neither book nor use it.
OVERDUE_ASSET_TAGS = frozenset({"DMM-02"})


def simulated_equipment(
    bench: SimulatedBench, *, station: str, today: date, resources: Mapping[str, str] | None = None
) -> list[InstrumentCreate]:
    """Equipment records for every instrument of the bench, cabled to ``station``, calibrated as a lab would be.

    Calibrations are a year long and staggered; the instruments in :data:`OVERDUE_ASSET_TAGS` lapsed a month ago.
    ``resources`` gives each instrument's VISA resource when the bench is served by another process (``labsys
    sim``); by default the started ``bench``'s own.
    """
    entries = []
    for index, tag in enumerate(bench.asset_tags):
        spec = bench.instrument_spec(tag)
        overdue = tag in OVERDUE_ASSET_TAGS
        calibrated_on = today - timedelta(days=400 if overdue else 40 + 37 * index)
        entries.append(
            InstrumentCreate(
                asset_tag=tag,
                kind=DRIVER_KINDS[spec.driver],
                manufacturer=spec.manufacturer,
                model=spec.model,
                serial=spec.serial,
                firmware=spec.firmware,
                resource=resources[tag] if resources is not None else bench.resource(tag),
                driver=spec.driver,
                station=station,
                calibrated_on=calibrated_on,
                calibration_due=calibrated_on + timedelta(days=365),
                calibration_certificate=f"KOLAS-CAL-{calibrated_on.year}-{1000 + index:04d}",
                setup_buffer_min=30 if spec.driver == "watlow_f4t" else 15,
            )
        )
    return entries

"""What the lab can drive: an instrument is registered only with a driver of the catalogue, as the kind that driver
drives, at a resource string pyvisa can parse."""

from __future__ import annotations

from instruments.errors import InvalidResourceName
from instruments.kinds import DRIVER_KINDS, KINDS
from labsys.equipment.models import InstrumentCreate
from labsys.errors import InvalidInput

__all__ = ["check_drivable"]


def check_drivable(instrument_in: InstrumentCreate) -> None:
    """Check that the lab can drive the instrument as registered.

    Raises:
        InvalidInput: the kind is not one of the lab's, the driver is not in the catalogue or drives another kind,
            or the resource is not a VISA resource string; ``field`` names which.
    """
    if instrument_in.kind not in KINDS:
        raise InvalidInput("kind", f"unknown kind {instrument_in.kind!r}; the lab's kinds are {', '.join(KINDS)}")
    driver_kind = DRIVER_KINDS.get(instrument_in.driver)
    if driver_kind is None:
        drivers = ", ".join(sorted(DRIVER_KINDS))
        raise InvalidInput("driver", f"no driver {instrument_in.driver!r} in the catalogue; its drivers are {drivers}")
    if driver_kind != instrument_in.kind:
        fitting = ", ".join(sorted(name for name, kind in DRIVER_KINDS.items() if kind == instrument_in.kind))
        raise InvalidInput(
            "driver",
            f"driver {instrument_in.driver!r} drives a {driver_kind}, not a {instrument_in.kind}; "
            f"the catalogue's {instrument_in.kind} drivers are {fitting or 'none'}",
        )
    # pyvisa loads only when an instrument is added, not when the app starts.
    from instruments.resources import check_resource_name  # noqa: PLC0415

    try:
        check_resource_name(instrument_in.resource)
    except InvalidResourceName as exc:
        raise InvalidInput("resource", str(exc)) from None

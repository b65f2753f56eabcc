"""The commands every SCPI instrument shares: IEEE 488.2 common commands and the SCPI error queue queries.

``*IDN?``, ``*RST``, ``*CLS``, ``*ESE``/``*ESE?``, ``*ESR?``, ``*SRE``/``*SRE?``, ``*STB?``, ``*OPC``/``*OPC?``,
``*WAI``, ``*TST?``, ``*OPT?`` (:func:`ieee488_commands`); ``SYSTem:ERRor[:NEXT]?`` and, where the model has them,
``SYSTem:ERRor:COUNt?`` and ``SYSTem:ERRor:ALL?`` (:func:`error_queries`); ``STATus:PRESet``.

A simulated instrument finishes each command before it reads the next, unless its model has overlapped operations
(:meth:`~instruments.sim.scpi.device.ScpiDevice.operations_complete`): ``*OPC`` sets OPC and ``*OPC?`` answers ``1``
once they are complete, and ``*OPC?`` answers nothing if they never complete (a scope armed with no signal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from instruments.sim.scpi.parameters import Numeric
from instruments.sim.scpi.status import OPERATION_COMPLETE
from instruments.sim.scpi.tree import Call, Command, Entry

if TYPE_CHECKING:
    from instruments.sim.scpi.device import ScpiDevice

__all__ = ["STATUS_PRESET", "error_queries", "ieee488_commands"]

_REGISTER = Numeric(0, 255, integer=True)


def _set_event_enable(device: ScpiDevice, call: Call) -> None:
    device.status.event_enable = int(call.number(0))


def _set_service_enable(device: ScpiDevice, call: Call) -> None:
    device.status.service_enable = int(call.number(0)) & ~64  # bit 6 (MSS) cannot be enabled


def _operation_complete(device: ScpiDevice, call: Call) -> None:
    if device.operations_complete():
        device.status.event_status |= OPERATION_COMPLETE


def _operation_complete_query(device: ScpiDevice, call: Call) -> str | None:
    return "1" if device.operations_complete() else None


def _wait_to_continue(device: ScpiDevice, call: Call) -> None:
    device.operations_complete()


def _clear_status(device: ScpiDevice, call: Call) -> None:
    device.status.clear()


def _reset(device: ScpiDevice, call: Call) -> None:
    device.reset()


def _nothing(device: ScpiDevice, call: Call) -> None:
    """A command the simulation has nothing to do for."""


def ieee488_commands(*, options: str = "0") -> list[Entry[ScpiDevice]]:
    """Get the IEEE 488.2 common commands.

    Args:
        options: The ``*OPT?`` reply.
    """
    replies_integer = "{:d}".format
    return [
        Command("*IDN?", lambda device, call: device.idn),
        Command("*RST", _reset),
        Command("*CLS", _clear_status),
        Command("*ESE", _set_event_enable, (_REGISTER,)),
        Command("*ESE?", lambda device, call: replies_integer(device.status.event_enable)),
        Command("*ESR?", lambda device, call: replies_integer(device.status.read_event_status())),
        Command("*SRE", _set_service_enable, (_REGISTER,)),
        Command("*SRE?", lambda device, call: replies_integer(device.status.service_enable)),
        Command(
            "*STB?",
            lambda device, call: replies_integer(device.status.status_byte(message_available=device.message_available)),
        ),
        Command("*OPC", _operation_complete),
        Command("*OPC?", _operation_complete_query),
        Command("*WAI", _wait_to_continue),
        Command("*TST?", lambda device, call: "0"),
        Command("*OPT?", lambda device, call: options),
    ]


def error_queries(*, count: bool = False, all_errors: bool = False) -> list[Entry[ScpiDevice]]:
    """Get ``SYSTem:ERRor[:NEXT]?`` and, if the model has them, ``SYSTem:ERRor:COUNt?`` and ``SYSTem:ERRor:ALL?``."""
    entries: list[Entry[ScpiDevice]] = [
        Command(":SYSTem:ERRor[:NEXT]?", lambda device, call: device.status.next_error()),
    ]
    if count:
        entries.append(Command(":SYSTem:ERRor:COUNt?", lambda device, call: str(len(device.status.errors))))
    if all_errors:
        entries.append(Command(":SYSTem:ERRor:ALL?", lambda device, call: device.status.all_errors()))
    return entries


#: ``STATus:PRESet``: the simulation keeps no operation or questionable registers to preset.
STATUS_PRESET: Command[ScpiDevice] = Command(":STATus:PRESet", _nothing)

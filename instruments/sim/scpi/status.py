"""IEEE 488.2 status reporting: the error queue, the Standard Event Status Register and the Status Byte.

* The error queue holds up to ``depth`` errors, oldest first; when full, its last entry becomes
  ``-350,"Queue overflow"`` (SCPI-99 §21.8.1).
* The Standard Event Status Register (``*ESR?`` reads and clears it) has OPC (1, set by ``*OPC``), QYE (4), DDE (8),
  EXE (16), CME (32) from the errors reported, and PON (128) set at power-on. ``*ESE`` enables its bits into ESB.
* The Status Byte (``*STB?``) has EAV (4: the error queue is not empty), MAV (16: a reply is waiting), ESB (32: an
  enabled event is set) and MSS (64: an enabled bit of the others is set; ``*SRE`` enables them).
* ``*CLS`` empties the queue and clears the event register; the enable registers stay.
"""

from __future__ import annotations

from collections import deque

from instruments.sim.scpi.errors import QUEUE_OVERFLOW, event_bit

__all__ = [
    "ERROR_AVAILABLE",
    "EVENT_SUMMARY",
    "MASTER_SUMMARY",
    "MESSAGE_AVAILABLE",
    "OPERATION_COMPLETE",
    "POWER_ON",
    "StatusRegisters",
]

OPERATION_COMPLETE = 1
POWER_ON = 128
ERROR_AVAILABLE = 4
MESSAGE_AVAILABLE = 16
EVENT_SUMMARY = 32
MASTER_SUMMARY = 64
_NO_ERROR = '+0,"No error"'


class StatusRegisters:
    """The status of one instrument, from power-on.

    Args:
        depth: How many errors the queue holds.
    """

    def __init__(self, depth: int = 20) -> None:
        self.depth = depth
        self.errors: deque[tuple[int, str]] = deque()
        self.event_status = POWER_ON
        self.event_enable = 0
        self.service_enable = 0

    def report(self, error: tuple[int, str]) -> None:
        """Queue an error and set its event bit."""
        self.event_status |= event_bit(error[0])
        if len(self.errors) >= self.depth:
            self.errors[-1] = QUEUE_OVERFLOW
            return
        self.errors.append(error)

    def next_error(self) -> str:
        """Get and remove the oldest error, as ``-113,"Undefined header"``; ``+0,"No error"`` if none."""
        if not self.errors:
            return _NO_ERROR
        return _written(self.errors.popleft())

    def all_errors(self) -> str:
        """Get and remove every error, oldest first, separated by commas; ``+0,"No error"`` if none."""
        written = ",".join(_written(error) for error in self.errors) or _NO_ERROR
        self.errors.clear()
        return written

    def read_event_status(self) -> int:
        """Get the Standard Event Status Register and clear it (``*ESR?``)."""
        value, self.event_status = self.event_status, 0
        return value

    def status_byte(self, *, message_available: bool) -> int:
        """Get the Status Byte (``*STB?``); it is not cleared by reading."""
        byte = ERROR_AVAILABLE if self.errors else 0
        byte |= MESSAGE_AVAILABLE if message_available else 0
        byte |= EVENT_SUMMARY if self.event_status & self.event_enable else 0
        return byte | (MASTER_SUMMARY if byte & self.service_enable & ~MASTER_SUMMARY else 0)

    def clear(self) -> None:
        """Empty the error queue and clear the event register (``*CLS``)."""
        self.errors.clear()
        self.event_status = 0


def _written(error: tuple[int, str]) -> str:
    return f'{error[0]:+d},"{error[1]}"'

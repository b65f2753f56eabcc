"""The simulated bench's control port: inject and clear faults from another process.

``labsys sim`` listens for control on ``127.0.0.1`` (port :data:`DEFAULT_CONTROL_PORT`, ``--control-port`` to
change it). The protocol is one ASCII line per request, one line per answer::

    FAULT <asset tag> <kind> [<delay in s>]    e.g. FAULT SMU-01 late_reply 2.5
    CLEAR <asset tag>
    ->  OK
    ->  ERROR <what is wrong>

``kind`` is the value of a :class:`~instruments.sim.faults.Fault` (``no_reply``, ``late_reply``,
``partial_line``, ``drop_mid_block``, ``garbage``, ``refused_connection``, ``queue_error``); the delay applies to
``late_reply``. :class:`BenchControl` is the client:

.. code-block:: python

    control = BenchControl(port=5100)
    control.inject("SMU-01", Fault.NO_REPLY)
    control.clear("SMU-01")
"""

from __future__ import annotations

import math
import socket
from dataclasses import dataclass

from instruments.sim.faults import Fault

__all__ = [
    "DEFAULT_CONTROL_PORT",
    "BenchControl",
    "BenchUnreachable",
    "ControlError",
    "ControlRequest",
    "parse_fault",
    "parse_request",
]

#: Where ``labsys sim`` listens for control unless told otherwise (the instruments take 5101-5107).
DEFAULT_CONTROL_PORT = 5100
_TIMEOUT_S = 10.0


class ControlError(Exception):
    """The bench refused a control request (no such instrument or fault, ...); ``str()`` says why."""


class BenchUnreachable(ControlError):
    """No simulated bench answers on the control port."""


@dataclass(frozen=True)
class ControlRequest:
    """One parsed control line: a fault to inject (``fault`` set) or an instrument's faults to clear."""

    asset_tag: str
    fault: Fault | None = None
    delay_s: float | None = None

    def line(self) -> bytes:
        """Get the request as it goes on the wire, terminator included."""
        if self.fault is None:
            return f"CLEAR {self.asset_tag}\n".encode("ascii")
        delay = "" if self.delay_s is None else f" {self.delay_s!r}"
        return f"FAULT {self.asset_tag} {self.fault.value}{delay}\n".encode("ascii")


def parse_fault(kind: str) -> Fault:
    """Get the fault named ``kind`` (a :class:`Fault` value, any case).

    Raises:
        ControlError: No fault has that name; the message lists those that do.
    """
    try:
        return Fault(kind.lower())
    except ValueError:
        known = ", ".join(fault.value for fault in Fault)
        raise ControlError(f"unknown fault {kind!r}: one of {known}") from None


def parse_request(line: str) -> ControlRequest:
    """Parse one control line (without its terminator).

    Raises:
        ControlError: The line is not a request of the protocol; the message says what is wrong.
    """
    words = line.split()
    verb = words[0].upper() if words else ""
    if verb == "CLEAR" and len(words) == 2:
        return ControlRequest(words[1])
    if verb == "FAULT" and len(words) in {3, 4}:
        fault = parse_fault(words[2])
        return ControlRequest(words[1], fault, _delay_s(words[3]) if len(words) == 4 else None)
    raise ControlError(f"not a control request: {line!r} (FAULT <tag> <kind> [<delay s>] or CLEAR <tag>)")


def _delay_s(word: str) -> float:
    try:
        delay_s = float(word)
    except ValueError:
        delay_s = math.nan
    if not (math.isfinite(delay_s) and delay_s >= 0):
        raise ControlError(f"the delay must be a number of seconds, 0 or more: not {word!r}")
    return delay_s


class BenchControl:
    """A client of a simulated bench's control port.

    Args:
        host: Where the bench runs.
        port: Its control port.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_CONTROL_PORT) -> None:
        self.host = host
        self.port = port

    def inject(self, asset_tag: str, fault: Fault, *, delay_s: float | None = None) -> None:
        """Make an instrument misbehave until :meth:`clear` (``delay_s``: how late ``LATE_REPLY`` replies).

        Raises:
            ControlError: The bench refused (no such instrument, ...); :class:`BenchUnreachable` if it does not answer.
        """
        self._ask(ControlRequest(asset_tag, fault, delay_s))

    def clear(self, asset_tag: str) -> None:
        """Make an instrument behave again.

        Raises:
            ControlError: The bench refused (no such instrument); :class:`BenchUnreachable` if it does not answer.
        """
        self._ask(ControlRequest(asset_tag))

    def _ask(self, request: ControlRequest) -> None:
        try:
            with socket.create_connection((self.host, self.port), timeout=_TIMEOUT_S) as link:
                link.sendall(request.line())
                answer = link.makefile("rb").readline().decode("ascii", "replace").strip()
        except OSError as exc:
            raise BenchUnreachable(f"no simulated bench answers on {self.host}:{self.port}: {exc}") from exc
        if answer != "OK":
            raise ControlError(answer.removeprefix("ERROR ") or "the bench closed the control connection")

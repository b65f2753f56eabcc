"""A SCPI device: runs program messages against its command tree, keeps its settings and its status."""

from __future__ import annotations

from typing import Any

from instruments.sim.scpi.errors import ScpiError
from instruments.sim.scpi.lexer import Mnemonic, read_message
from instruments.sim.scpi.status import StatusRegisters
from instruments.sim.scpi.tree import CommandTree, Reply, SettingValue

__all__ = ["ScpiDevice"]


class ScpiDevice:
    """The command layer of a simulated instrument.

    Args:
        idn: The ``*IDN?`` reply.
        tree: The model's commands, IEEE 488.2 common commands included (see :mod:`instruments.sim.scpi.common`).
        error_queue_depth: How many errors the queue holds.

    Attributes:
        settings: The current value of every setting, by key; ``*RST`` puts back the tree's defaults.
        status: The error queue and status registers.
    """

    def __init__(self, idn: str, tree: CommandTree[Any], *, error_queue_depth: int = 20) -> None:
        self.idn = idn
        self.tree = tree
        self.settings: dict[str, SettingValue] = dict(tree.defaults)
        self.status = StatusRegisters(error_queue_depth)
        self._output: list[Reply] = []

    def reset(self) -> None:
        """Return every setting to its power-on value (``*RST``); the status and error queue stay."""
        self.settings.update(self.tree.defaults)

    def operations_complete(self) -> bool:
        """Wait until every pending operation is complete (``*OPC``, ``*OPC?``, ``*WAI``); False if it never was.

        Every command of a plain device is complete when the next one runs; a model with overlapped operations (a
        scope's ``:SINGle``) waits for them here.
        """
        return True

    def queue_error(self, error: tuple[int, str]) -> None:
        """Put an error in the queue, as the instrument does when it refuses a command."""
        self.status.report(error)

    @property
    def message_available(self) -> bool:
        """Whether a reply of the message being run is waiting to be sent (MAV)."""
        return bool(self._output)

    def execute(self, message: str) -> list[Reply]:
        """Run one program message; get the replies of its queries in order.

        A unit in error queues its error and answers nothing; the units after it still run. Text replies of
        several queries in one message are joined with ``;`` by the caller.
        """
        self._output = []
        path: tuple[Mnemonic, ...] = ()
        for unit in read_message(message):
            if isinstance(unit, ScpiError):
                self.queue_error((unit.code, unit.message))
                continue
            try:
                resolved = self.tree.resolve(unit.header, path, len(unit.data))
                path = resolved.path
                reply = resolved.command.handler(self, resolved.bind(unit.data))
            except ScpiError as error:
                self.queue_error((error.code, error.message))
                continue
            if reply is not None:
                self._output.append(reply)
        return self._output

"""A model's command tree, declared as its manual lists it, and resolving a client's header in it.

.. code-block:: python

    COMMANDS: CommandTree[SimulatedGenerator] = CommandTree([
        Setting("[:SOURce<ch:1-2>]:FREQuency[:CW]", "frequency_hz/{ch}", Numeric(1e-6, 30e6, unit="HZ"), 1e3),
        Command("[:SOURce<ch:1-2>]:APPLy?", SimulatedGenerator.applied),
    ])

A :class:`Command` runs a handler with the parsed arguments; a :class:`Setting` is a value the command writes and
its query reads back (``FREQ 1 kHz``, ``FREQ?``), kept in the device's ``settings`` under ``key`` (with the
header's named suffixes filled in) and put back to ``default`` by ``*RST``.

Headers resolve as SCPI-99 §6.2.4 says: a header with a leading ``:`` starts at the root; after ``;`` a header
without one continues from the nodes before the previous header's last one (``:SOUR:VOLT 1;CURR 2`` sets
``:SOUR:CURR``); common commands (``*IDN?``) leave that path as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Generic, TypeVar

from instruments.sim.scpi.errors import (
    HEADER_SUFFIX_OUT_OF_RANGE,
    MISSING_PARAMETER,
    PARAMETER_NOT_ALLOWED,
    UNDEFINED_HEADER,
    ScpiError,
)
from instruments.sim.scpi.forms import Pattern, SuffixOutOfRange
from instruments.sim.scpi.lexer import DataElement, Header, Mnemonic
from instruments.sim.scpi.parameters import Argument, Numeric, Parameter
from instruments.sim.scpi.replies import ReplyFormat

__all__ = ["Call", "Command", "CommandTree", "Entry", "Reply", "Resolved", "Setting", "SettingValue"]

D_contra = TypeVar("D_contra", contravariant=True)

#: A text reply (one line, terminator added by the server) or a binary block with its ``#`` header.
Reply = str | bytes
#: What a setting holds.
SettingValue = float | bool | str


@dataclass(frozen=True, slots=True)
class Call:
    """What a handler gets: the arguments of its parameters in order and the header's named numeric suffixes.

    Attributes:
        arguments: One per parameter (the last one's repeated arguments as the rest, if it repeats).
        suffixes: ``{"ch": 2}`` for ``SOUR2:...`` against ``[:SOURce<ch:1-2>]...`` (1 where left out).
    """

    arguments: tuple[Argument, ...] = ()
    suffixes: Mapping[str, int] = field(default_factory=dict)

    def number(self, index: int) -> float:
        """Get argument ``index`` as a number (a parameter that gives numbers, not left out)."""
        value = self.arguments[index]
        if not isinstance(value, int | float):
            raise TypeError(f"argument {index} is {value!r}, not a number")
        return float(value)


@dataclass(frozen=True, slots=True)
class Command(Generic[D_contra]):
    """A command or query (``?`` at the end of ``pattern``) and what runs it.

    Attributes:
        pattern: The header in manual notation (see :mod:`instruments.sim.scpi.forms`).
        handler: Runs the command; a query's returns its reply.
        parameters: What it takes, in order.
        repeat_last: The last parameter takes any number of arguments (at least one unless optional).
    """

    pattern: str
    handler: Callable[[D_contra, Call], Reply | None]
    parameters: tuple[Parameter, ...] = ()
    repeat_last: bool = False


@dataclass(frozen=True, slots=True)
class Setting(Generic[D_contra]):
    """A value written by the command and read back by its query.

    Attributes:
        pattern: The header without ``?`` in manual notation.
        key: Where the device keeps it; ``{name}`` is replaced by the header's named suffix (``"level/{ch}"``).
        parameter: What the command takes; its :meth:`~Parameter.reply` writes the query's answer.
        default: The value at power-on and after ``*RST``.
        after: Runs after a write (a range set turns autorange off).
        query_only: There is no command, only the query.
    """

    pattern: str
    key: str
    parameter: Parameter
    default: SettingValue
    after: Callable[[D_contra, Call], None] | None = None
    query_only: bool = False


Entry = Command[D_contra] | Setting[D_contra]


@dataclass(frozen=True, slots=True)
class Resolved(Generic[D_contra]):
    """A header found in the tree: what runs it and the path the next relative header continues from."""

    command: Command[D_contra]
    suffixes: Mapping[str, int]
    path: tuple[Mnemonic, ...]

    def bind(self, data: Sequence[DataElement]) -> Call:
        """Parse the data elements into the command's arguments.

        Raises:
            ScpiError: ``-108`` for too many, ``-109`` for a missing one, or the parameter's own error.
        """
        parameters = self.command.parameters
        if len(data) > len(parameters) and not (self.command.repeat_last and parameters):
            raise ScpiError(PARAMETER_NOT_ALLOWED)
        arguments: list[Argument] = []
        for index, parameter in enumerate(parameters):
            if index < len(data):
                arguments.append(parameter.parse(data[index]))
            elif parameter.optional:
                arguments.append(parameter.omitted())
            else:
                raise ScpiError(MISSING_PARAMETER)
        if self.command.repeat_last:
            arguments.extend(parameters[-1].parse(element) for element in data[len(parameters) :])
        return Call(tuple(arguments), self.suffixes)


class CommandTree(Generic[D_contra]):
    """Every header a model knows, as its manual declares them, and how it writes numbers.

    Args:
        entries: The commands and settings.
        replies: How the model writes the numbers of its replies.
        defaults: Power-on values besides (or instead of) the settings' own: those the model's commands keep in
            ``settings``, and those that differ between the suffixes of one setting (channel 1 shown, not the others).
    """

    def __init__(
        self,
        entries: Sequence[Entry[D_contra]],
        *,
        replies: ReplyFormat | None = None,
        defaults: Mapping[str, SettingValue] | None = None,
    ) -> None:
        self.replies = replies or ReplyFormat()
        self.defaults: dict[str, SettingValue] = {}
        self._commands: list[tuple[Pattern, Command[D_contra]]] = []
        self._cache: dict[tuple[tuple[tuple[str, int | None], ...], bool, bool], tuple[Pattern, Command[D_contra]]] = {}
        for entry in entries:
            if isinstance(entry, Setting):
                self._add_setting(entry)
            else:
                self._commands.append((Pattern.parse(entry.pattern), entry))
        self.defaults.update(defaults or {})

    def _add_setting(self, setting: Setting[D_contra]) -> None:
        pattern = Pattern.parse(setting.pattern)
        names = pattern.suffix_names()
        for values in product(*names.values()):
            self.defaults[setting.key.format(**dict(zip(names, values, strict=True)))] = setting.default
        self._commands.append((Pattern.parse(setting.pattern + "?"), Command(setting.pattern + "?", _reader(setting))))
        if not setting.query_only:
            self._commands.append((pattern, Command(setting.pattern, _writer(setting), (setting.parameter,))))
        if isinstance(setting.parameter, Numeric):
            # MIN, MAX and DEF also ask a numeric setting's range and default: FREQ? MAX
            limits = Command(setting.pattern + "?", _limit_reader(setting), (_LIMIT_KEYWORDS,))
            self._commands.append((Pattern.parse(setting.pattern + "?"), limits))

    def resolve(self, header: Header, path: tuple[Mnemonic, ...], arity: int) -> Resolved[D_contra]:
        """Find a header, relative to ``path`` unless absolute or common, among commands taking ``arity`` data.

        Raises:
            ScpiError: ``-113`` if no command has this header, ``-114`` if only a numeric suffix is out of range.
        """
        full = header.mnemonics if header.absolute or header.common or not path else path + header.mnemonics
        words = tuple((m.word if not header.common else "*" + m.word, m.suffix) for m in full)
        pattern, command = self._find(words, header.query, header.common, arity)
        suffixes = pattern.match(words) or {}
        return Resolved(command, suffixes, path if header.common else full[:-1])

    def _find(
        self, words: tuple[tuple[str, int | None], ...], query: bool, common: bool, arity: int
    ) -> tuple[Pattern, Command[D_contra]]:
        key = (words, query, arity > 0)
        if key in self._cache:
            return self._cache[key]
        out_of_range, candidates = False, []
        for pattern, command in self._commands:
            if pattern.query != query or pattern.common != common:
                continue
            try:
                if pattern.match(words) is not None:
                    candidates.append((pattern, command))
            except SuffixOutOfRange:
                out_of_range = True
        if not candidates:
            raise ScpiError(HEADER_SUFFIX_OUT_OF_RANGE if out_of_range else UNDEFINED_HEADER)
        # A query of a setting also takes MIN/MAX/DEF: pick the one whose parameters fit what was sent.
        found = next((c for c in candidates if bool(c[1].parameters) == (arity > 0)), candidates[0])
        self._cache[key] = found
        return found


def _reader(setting: Setting[Any]) -> Callable[[Any, Call], Reply]:
    def read(device: Any, call: Call) -> Reply:
        value = device.settings[setting.key.format(**call.suffixes)]
        return setting.parameter.reply(value, device.tree.replies)

    return read


def _writer(setting: Setting[Any]) -> Callable[[Any, Call], None]:
    def write(device: Any, call: Call) -> None:
        value = call.arguments[0]
        if not isinstance(value, float | int | bool | str):
            raise TypeError(f"{setting.key} cannot hold {value!r}")
        device.settings[setting.key.format(**call.suffixes)] = value
        if setting.after is not None:
            setting.after(device, call)

    return write


_LIMIT_KEYWORDS = Numeric(0, 0, keywords={"MINimum": "MIN", "MAXimum": "MAX", "DEFault": "DEF"})


def _limit_reader(setting: Setting[Any]) -> Callable[[Any, Call], Reply]:
    parameter = setting.parameter
    if not isinstance(parameter, Numeric):
        raise TypeError(f"{setting.pattern}: only a numeric setting has limits to ask")

    def read(device: Any, call: Call) -> Reply:
        which = call.arguments[0]
        if which not in {"MIN", "MAX", "DEF"} or (which == "DEF" and parameter.default is None):
            raise ScpiError(PARAMETER_NOT_ALLOWED)
        value = {"MIN": parameter.low, "MAX": parameter.high, "DEF": parameter.default}[str(which)]
        return parameter.reply(value, device.tree.replies)

    return read

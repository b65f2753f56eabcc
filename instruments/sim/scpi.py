"""The SCPI side of a simulated instrument: header matching, an error queue, IEEE 488.2 commands.

Headers match as real instruments match them: case-insensitive, short or long form of each node
(``SOURce`` → ``SOUR``), compound commands separated by ``;``. An unknown header queues
``-113,"Undefined header"`` and a value outside a setting's range ``-222,"Data out of range"``; the
instrument answers nothing for a command in error, as real ones do.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "DATA_OUT_OF_RANGE",
    "DATA_TYPE_ERROR",
    "ILLEGAL_PARAMETER",
    "MISSING_PARAMETER",
    "UNDEFINED_HEADER",
    "Handler",
    "Reply",
    "ScpiDevice",
    "ScpiError",
    "format_number",
    "normalise_header",
    "parse_bool",
    "parse_number",
    "short_form",
    "single_argument",
]

UNDEFINED_HEADER = (-113, "Undefined header")
DATA_TYPE_ERROR = (-104, "Data type error")
ILLEGAL_PARAMETER = (-224, "Illegal parameter value")
DATA_OUT_OF_RANGE = (-222, "Data out of range")
MISSING_PARAMETER = (-109, "Missing parameter")
_QUEUE_OVERFLOW = (-350, "Queue overflow")
_ERROR_QUEUE_DEPTH = 20
_VOWELS = frozenset("AEIOU")
_MNEMONIC = re.compile(r"([A-Z_]+)(\d*)")

#: A text reply (one line, terminator added by the server) or a binary block with its ``#`` header.
Reply = str | bytes
#: Runs one command: gets its arguments, returns the reply of a query or None.
Handler = Callable[[list[str]], Reply | None]


class ScpiError(Exception):
    """A command the instrument refuses; it goes to the error queue as ``code,"message"``."""

    def __init__(self, error: tuple[int, str]) -> None:
        super().__init__(f'{error[0]},"{error[1]}"')
        self.code, self.message = error


def short_form(mnemonic: str) -> str:
    """Get the SCPI short form of a mnemonic: four letters, three if the fourth is a vowel."""
    upper = mnemonic.upper()
    match = _MNEMONIC.fullmatch(upper)
    if match is None:
        return upper
    word, suffix = match.groups()
    if len(word) > 4:
        word = word[:3] if word[3] in _VOWELS else word[:4]
    return word + suffix


def normalise_header(header: str) -> str:
    """Get the canonical form of a header: no leading colon, short forms, ``?`` kept."""
    header = header.strip().lstrip(":")
    query = header.endswith("?")
    nodes = header.rstrip("?").split(":")
    return ":".join(short_form(node) for node in nodes) + ("?" if query else "")


def parse_number(text: str, low: float, high: float) -> float:
    """Parse a numeric argument and check it against ``[low, high]``.

    Raises:
        ScpiError: ``-104`` if not a number, ``-222`` if out of range.
    """
    keyword = short_form(text.strip())
    if keyword == "MIN":
        return low
    if keyword == "MAX":
        return high
    try:
        value = float(text)
    except ValueError:
        raise ScpiError(DATA_TYPE_ERROR) from None
    if not low <= value <= high:
        raise ScpiError(DATA_OUT_OF_RANGE)
    return value


def parse_bool(text: str) -> bool:
    """Parse ``ON``/``OFF``/``1``/``0``.

    Raises:
        ScpiError: ``-224`` for anything else.
    """
    word = text.strip().upper()
    if word in {"ON", "1"}:
        return True
    if word in {"OFF", "0"}:
        return False
    raise ScpiError(ILLEGAL_PARAMETER)


def single_argument(arguments: list[str]) -> str:
    """Get the one argument of a command.

    Raises:
        ScpiError: ``-109`` if there is none.
    """
    if not arguments or not arguments[0]:
        raise ScpiError(MISSING_PARAMETER)
    return arguments[0]


def format_number(value: float) -> str:
    """Format a reading as SCPI NR3, e.g. ``+1.234567890E-03``."""
    return f"{value:+.9E}"


@dataclass(frozen=True, slots=True)
class _Command:
    header: str
    arguments: list[str]


def _split_units(line: str) -> list[str]:
    """Split a program message at semicolons outside quotes."""
    units: list[str] = []
    current: list[str] = []
    quote = ""
    for char in line:
        if char in "'\"":
            quote = "" if quote == char else (quote or char)
        if char == ";" and not quote:
            units.append("".join(current))
            current = []
        else:
            current.append(char)
    units.append("".join(current))
    return [unit.strip() for unit in units if unit.strip()]


def _parse_unit(unit: str) -> _Command:
    header, _, rest = unit.partition(" ")
    arguments = [argument.strip().strip("'\"") for argument in rest.split(",")] if rest.strip() else []
    return _Command(normalise_header(header), arguments)


class ScpiDevice:
    """Command table, error queue and the IEEE 488.2 common commands of a simulated instrument.

    Args:
        idn: The ``*IDN?`` reply.
    """

    def __init__(self, idn: str) -> None:
        self.idn = idn
        self.errors: deque[tuple[int, str]] = deque()
        self.settings: dict[str, float | str | bool] = {}
        self._defaults: dict[str, float | str | bool] = {}
        self._handlers: dict[str, Handler] = {}
        self.on("*IDN?", lambda _: self.idn)
        self.on("*RST", lambda _: self.reset())
        self.on("*CLS", lambda _: self.errors.clear())
        self.on("*OPC?", lambda _: "1")
        self.on("*OPC", lambda _: None)
        self.on("*WAI", lambda _: None)
        self.on("*ESR?", lambda _: "0")
        self.on("*STB?", lambda _: "0")
        self.on("*OPT?", lambda _: "0")
        self.on("STAT:PRES", lambda _: None)
        self.on("SYST:ERR?", lambda _: self.next_error())
        self.on("SYST:ERR:NEXT?", lambda _: self.next_error())

    def on(self, header: str, handler: Handler) -> None:
        """Register ``handler`` for ``header`` (any accepted spelling; ``?`` for queries)."""
        self._handlers[normalise_header(header)] = handler

    def reset(self) -> None:
        """Return every setting to its power-on value (``*RST``)."""
        self.settings.update(self._defaults)

    def number_setting(
        self,
        key: str,
        *,
        writes: tuple[str, ...],
        reads: tuple[str, ...],
        low: float,
        high: float,
        default: float,
    ) -> None:
        """Declare a numeric setting in ``[low, high]`` written by ``writes`` and read by ``reads``."""
        self._defaults[key] = self.settings[key] = default

        def write(arguments: list[str]) -> None:
            self.settings[key] = parse_number(single_argument(arguments), low, high)

        for header in writes:
            self.on(header, write)
        for header in reads:
            self.on(header, lambda _: format_number(float(self.settings[key])))

    def choice_setting(self, key: str, header: str, *, choices: tuple[str, ...], default: str) -> None:
        """Declare a setting that takes one of ``choices`` (given in short form), e.g. ``FUNC SQU``."""
        self._defaults[key] = self.settings[key] = default

        def write(arguments: list[str]) -> None:
            choice = normalise_header(single_argument(arguments))
            if choice not in choices:
                raise ScpiError(ILLEGAL_PARAMETER)
            self.settings[key] = choice

        self.on(header, write)
        self.on(header + "?", lambda _: str(self.settings[key]))

    def switch_setting(self, key: str, header: str, *, default: bool) -> None:
        """Declare an on/off setting, read back as ``1`` or ``0``."""
        self._defaults[key] = self.settings[key] = default

        def write(arguments: list[str]) -> None:
            self.settings[key] = parse_bool(single_argument(arguments))

        self.on(header, write)
        self.on(header + "?", lambda _: "1" if self.settings[key] else "0")

    def queue_error(self, error: tuple[int, str]) -> None:
        """Put an error in the queue; a full queue ends with ``-350,"Queue overflow"``, as SCPI says."""
        if len(self.errors) >= _ERROR_QUEUE_DEPTH:
            self.errors[-1] = _QUEUE_OVERFLOW
            return
        self.errors.append(error)

    def next_error(self) -> str:
        """Get and remove the oldest error, or ``+0,"No error"``."""
        if not self.errors:
            return '+0,"No error"'
        code, message = self.errors.popleft()
        return f'{code:+d},"{message}"'

    def execute(self, line: str) -> list[Reply]:
        """Run one program message; get the replies of its queries in order.

        Text replies of several queries in one message are joined with ``;`` by the caller.
        """
        replies: list[Reply] = []
        for unit in _split_units(line):
            command = _parse_unit(unit)
            handler = self._handlers.get(command.header)
            if handler is None:
                self.queue_error(UNDEFINED_HEADER)
                continue
            try:
                reply = handler(command.arguments)
            except ScpiError as error:
                self.queue_error((error.code, error.message))
                continue
            if reply is not None:
                replies.append(reply)
        return replies

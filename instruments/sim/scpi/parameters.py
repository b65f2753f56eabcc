"""What a command takes: the parameter types of SCPI-99 §7 and the errors an instrument gives for the wrong one.

* :class:`Numeric` — a number in a range, with its unit and SI prefix (``100mV``, ``1 kHz``, ``MHZ`` being mega),
  ``MINimum``/``MAXimum``/``DEFault`` and any keyword of its own (``INFinity``, ``AUTO``); an integer one rounds.
* :class:`Boolean` — ``ON``/``OFF``/``1``/``0`` (any number: rounded, not zero is on).
* :class:`Choice` — character data, one of the manual's mnemonics, each in short or long form.
* :class:`QuotedChoice` — a string whose text is one of the manual's headers, as a 2450 takes ``"CURR:DC"``.
* :class:`String`, :class:`BlockData`, :class:`Expressions` — string, block and expression data as given.

A wrong type is ``-104,"Data type error"``; a number out of range ``-222,"Data out of range"``; a keyword the
command does not know ``-224,"Illegal parameter value"``; a unit it does not take ``-131,"Invalid suffix"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from instruments.sim.scpi.errors import (
    DATA_OUT_OF_RANGE,
    DATA_TYPE_ERROR,
    ILLEGAL_PARAMETER_VALUE,
    INVALID_SUFFIX,
    SUFFIX_NOT_ALLOWED,
    ScpiError,
)
from instruments.sim.scpi.forms import Form, Pattern
from instruments.sim.scpi.lexer import Block, DataElement, Expression, Number, Text, Word, split_suffix
from instruments.sim.scpi.replies import ReplyFormat, quoted

__all__ = [
    "Argument",
    "BlockData",
    "Boolean",
    "Choice",
    "Expressions",
    "Name",
    "Numeric",
    "Parameter",
    "QuotedChoice",
    "String",
    "si_multiplier",
]

#: What a parameter hands to a command: a number, a flag, a mnemonic's short form, text, bytes, or nothing.
Argument = float | bool | str | bytes | None

_PREFIXES = {
    "EX": 1e18, "PE": 1e15, "T": 1e12, "G": 1e9, "MA": 1e6, "K": 1e3,
    "M": 1e-3, "U": 1e-6, "N": 1e-9, "P": 1e-12, "F": 1e-15, "A": 1e-18,
}  # fmt: skip
# Where SCPI reads M as mega, not milli (SCPI-99 §7.5.3).
_MEGA_UNITS = {"MHZ": 1e6, "MOHM": 1e6}


class Parameter(Protocol):
    """One parameter of a command."""

    @property
    def optional(self) -> bool:
        """Whether the client may leave it out."""

    def parse(self, element: DataElement) -> Argument:
        """Get the argument from what the client sent.

        Raises:
            ScpiError: The element is not one this parameter takes.
        """

    def omitted(self) -> Argument:
        """Get the argument when the client leaves it out."""

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        """Write a value of this parameter as the instrument answers its query."""


def si_multiplier(suffix: str, unit: str) -> float | None:
    """Get the factor of a suffix for a unit (``MV`` for ``V``: 1e-3; ``MHZ`` for ``HZ``: 1e6), None if it is
    not a suffix of that unit."""
    if suffix == unit:
        return 1.0
    if suffix in _MEGA_UNITS and suffix.endswith(unit):
        return _MEGA_UNITS[suffix]
    if suffix.endswith(unit):
        return _PREFIXES.get(suffix[: -len(unit)])
    return None


def _keyword(keywords: Mapping[Form, Argument], word: str) -> tuple[bool, Argument]:
    for form, value in keywords.items():
        if form.matches(word):
            return True, value
    return False, None


@dataclass(frozen=True, slots=True)
class Numeric:
    """A number in ``[low, high]``.

    Args:
        low, high: The range; ``MINimum`` and ``MAXimum`` give them.
        unit: The unit suffix it takes in upper case (``V``, ``HZ``, ``S``, ``OHM``), with SI prefixes; None: none.
        default: What ``DEFault`` gives (None: ``DEFault`` is not a keyword of this parameter).
        keywords: Other keywords, in manual notation, and what each gives (``{"INFinity": math.inf}``).
        integer: Round to an integer, reply NR1.
        optional: The client may leave it out; it then gives ``omitted_value``.
        omitted_value: What the command gets when it is left out.
    """

    low: float
    high: float
    unit: str | None = None
    default: float | None = None
    keywords: Mapping[str, Argument] = field(default_factory=dict)
    integer: bool = False
    optional: bool = False
    omitted_value: Argument = None

    def parse(self, element: DataElement) -> Argument:
        if isinstance(element, Word):
            found, value = _keyword(self._keywords(), element.text)
            if not found:
                raise ScpiError(ILLEGAL_PARAMETER_VALUE)
            return value
        if not isinstance(element, Number):
            raise ScpiError(DATA_TYPE_ERROR)
        value = element.value * self._multiplier(element.suffix)
        if self.integer:
            value = float(round(value))
        if not self.low <= value <= self.high:
            raise ScpiError(DATA_OUT_OF_RANGE)
        return value

    def _multiplier(self, suffix: str | None) -> float:
        if suffix is None:
            return 1.0
        if self.unit is None:
            raise ScpiError(SUFFIX_NOT_ALLOWED)
        multiplier = si_multiplier(suffix, self.unit)
        if multiplier is None:
            raise ScpiError(INVALID_SUFFIX)
        return multiplier

    def _keywords(self) -> dict[Form, Argument]:
        keywords: dict[Form, Argument] = {Form.of("MINimum"): self.low, Form.of("MAXimum"): self.high}
        if self.default is not None:
            keywords[Form.of("DEFault")] = self.default
        keywords.update({Form.of(word): value for word, value in self.keywords.items()})
        return keywords

    def omitted(self) -> Argument:
        return self.omitted_value

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        number = float(value) if isinstance(value, int | float) else math.nan
        return replies.integer(number) if self.integer and math.isfinite(number) else replies.number(number)


@dataclass(frozen=True, slots=True)
class Boolean:
    """``ON``, ``OFF``, or a number (rounded; not zero is on); the query answers ``1`` or ``0``."""

    optional: bool = False
    omitted_value: bool | None = None

    def parse(self, element: DataElement) -> Argument:
        if isinstance(element, Word):
            found, value = _keyword({Form.of("ON"): True, Form.of("OFF"): False}, element.text)
            if not found:
                raise ScpiError(ILLEGAL_PARAMETER_VALUE)
            return value
        if not isinstance(element, Number):
            raise ScpiError(DATA_TYPE_ERROR)
        if element.suffix is not None:
            raise ScpiError(SUFFIX_NOT_ALLOWED)
        return round(element.value) != 0

    def omitted(self) -> Argument:
        return self.omitted_value

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        return "1" if value else "0"


@dataclass(frozen=True, slots=True)
class Choice:
    """One of the manual's mnemonics (``SINusoid``, ``SQUare``, ``CHANnel1``); the command gets its short form in
    upper case and the query answers it."""

    options: tuple[str, ...]
    optional: bool = False
    omitted_value: str | None = None

    def parse(self, element: DataElement) -> Argument:
        if not isinstance(element, Word):
            raise ScpiError(DATA_TYPE_ERROR)
        for option in self.options:
            form = Form.of(option)
            if form.matches(element.text):
                return form.short
        raise ScpiError(ILLEGAL_PARAMETER_VALUE)

    def omitted(self) -> Argument:
        return self.omitted_value

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        return str(value)


@dataclass(frozen=True, slots=True)
class QuotedChoice:
    """A string naming one of the manual's headers (``"VOLTage[:DC]"``): the command gets its short form, with the
    optional nodes if ``full`` (``VOLT:DC``, as a 2450 answers) or without (``VOLT``, as a 34410A answers); the query
    answers it in quotes."""

    options: tuple[str, ...]
    full: bool = True
    optional: bool = False
    omitted_value: str | None = None

    def parse(self, element: DataElement) -> Argument:
        if not isinstance(element, Text):
            raise ScpiError(DATA_TYPE_ERROR)
        words = tuple(split_suffix(word) for word in element.value.strip().lstrip(":").split(":"))
        for option in self.options:
            pattern = Pattern.parse(option)
            if pattern.match(words) is not None:
                return ":".join(node.form.short for node in pattern.nodes if self.full or not node.optional)
        raise ScpiError(ILLEGAL_PARAMETER_VALUE)

    def omitted(self) -> Argument:
        return self.omitted_value

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        return quoted(str(value))


@dataclass(frozen=True, slots=True)
class String:
    """String data; ``check`` may refuse a text (raising :class:`ScpiError`)."""

    optional: bool = False
    omitted_value: str | None = None
    check: Callable[[str], None] | None = None

    def parse(self, element: DataElement) -> Argument:
        if not isinstance(element, Text):
            raise ScpiError(DATA_TYPE_ERROR)
        if self.check is not None:
            self.check(element.value)
        return element.value

    def omitted(self) -> Argument:
        return self.omitted_value

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        return quoted(str(value))


@dataclass(frozen=True, slots=True)
class Name:
    """A name the instrument keeps (an arbitrary waveform's, a label): character data, or a string if ``quoted``
    is allowed; ``check`` may refuse one (raising :class:`ScpiError`). The query answers it in quotes."""

    optional: bool = False
    quoted: bool = True
    check: Callable[[str], None] | None = None

    def parse(self, element: DataElement) -> Argument:
        if isinstance(element, Word) or (self.quoted and isinstance(element, Text)):
            text = element.text if isinstance(element, Word) else element.value
            if self.check is not None:
                self.check(text)
            return text
        raise ScpiError(DATA_TYPE_ERROR)

    def omitted(self) -> Argument:
        return None

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        return quoted(str(value))


@dataclass(frozen=True, slots=True)
class BlockData:
    """Arbitrary block data."""

    optional: bool = False

    def parse(self, element: DataElement) -> Argument:
        if not isinstance(element, Block):
            raise ScpiError(DATA_TYPE_ERROR)
        return element.data

    def omitted(self) -> Argument:
        return None

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        raise TypeError("a block is answered as bytes, not text")


@dataclass(frozen=True, slots=True)
class Expressions:
    """Expression data such as a channel list ``(@1,2)``, its text without the parentheses."""

    optional: bool = False

    def parse(self, element: DataElement) -> Argument:
        if not isinstance(element, Expression):
            raise ScpiError(DATA_TYPE_ERROR)
        return element.text

    def omitted(self) -> Argument:
        return None

    def reply(self, value: Argument, replies: ReplyFormat) -> str:
        return f"({value if isinstance(value, str) else ''})"

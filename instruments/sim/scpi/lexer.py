"""Reading a program message as IEEE 488.2 §7 defines it: units, their headers and their data elements.

A message is one line from the client. It holds program message units separated by ``;``; a unit is a header
(``:SOURce1:VOLTage?``, ``*IDN?``; a leading ``:`` starts at the root), then, after white space (spaces and tabs),
data elements separated by ``,``: decimal numbers with an optional suffix (``100mV``, ``1 kHz``, ``-1.5E-3``),
non-decimal numbers (``#H1F``), character data (``ON``, ``DEFault``), strings (``"text"`` or ``'text'``, a doubled
quote inside), definite and indefinite blocks (``#15hello``, ``#0…``) and expressions (``(@1,2)``).

A unit that breaks the syntax gives its error in place of the unit and the reading goes on at the next ``;``, so
one bad unit does not hide the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from instruments.sim.scpi.errors import (
    INVALID_BLOCK_DATA,
    INVALID_CHARACTER,
    INVALID_SEPARATOR,
    INVALID_STRING_DATA,
    MNEMONIC_TOO_LONG,
    SYNTAX_ERROR,
    ScpiError,
)

__all__ = [
    "Block",
    "DataElement",
    "Expression",
    "Header",
    "Mnemonic",
    "Number",
    "ProgramUnit",
    "Text",
    "Word",
    "read_message",
    "split_suffix",
]

_WHITESPACE = " \t\r\n\v\f"
_MNEMONIC = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[ \t]*[eE][ \t]*[+-]?\d+)?")
_SUFFIX = re.compile(r"[ \t]*([A-Za-z/][A-Za-z0-9/]*)")
_NON_DECIMAL = {"H": (re.compile(r"[0-9A-Fa-f]+"), 16), "Q": (re.compile(r"[0-7]+"), 8), "B": (re.compile(r"[01]+"), 2)}
_WORD_AND_SUFFIX = re.compile(r"(.*?)(\d*)")
_MAX_MNEMONIC = 12


@dataclass(frozen=True, slots=True)
class Mnemonic:
    """One node of a header as the client wrote it: the word in upper case and its numeric suffix, if any."""

    word: str
    suffix: int | None


@dataclass(frozen=True, slots=True)
class Header:
    """A unit's header: its nodes, whether it is a common command (``*IDN``), absolute (``:``) and a query."""

    mnemonics: tuple[Mnemonic, ...]
    common: bool
    absolute: bool
    query: bool


@dataclass(frozen=True, slots=True)
class Number:
    """Decimal or non-decimal numeric data, with its suffix in upper case (``MV`` in ``100mV``) if any."""

    value: float
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class Word:
    """Character data, in upper case (``ON``, ``MIN``, ``SQU``)."""

    text: str


@dataclass(frozen=True, slots=True)
class Text:
    """String data, without its quotes."""

    value: str


@dataclass(frozen=True, slots=True)
class Block:
    """Arbitrary block data."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Expression:
    """Expression data, without its outer parentheses (a channel list ``@1,2``)."""

    text: str


DataElement = Number | Word | Text | Block | Expression


@dataclass(frozen=True, slots=True)
class ProgramUnit:
    """One command or query of a message."""

    header: Header
    data: tuple[DataElement, ...]


def split_suffix(mnemonic: str) -> tuple[str, int | None]:
    """Split ``SOUR1`` into ``("SOUR", 1)`` and ``SOUR`` into ``("SOUR", None)`` (upper case)."""
    match = _WORD_AND_SUFFIX.fullmatch(mnemonic.upper())
    if match is None:  # the pattern matches any text without a line break
        return mnemonic.upper(), None
    word, digits = match.groups()
    return (word, int(digits)) if digits and word else (mnemonic.upper(), None)


def read_message(message: str) -> list[ProgramUnit | ScpiError]:
    """Read every unit of a program message, in order; a unit that breaks the syntax is its error."""
    return _Reader(message).units()


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    # -- the message and its units ---------------------------------------------------------------

    def units(self) -> list[ProgramUnit | ScpiError]:
        units: list[ProgramUnit | ScpiError] = []
        while True:
            self.skip_whitespace()
            if self.at_end():
                return units
            try:
                if self.peek() == ";":
                    raise ScpiError(SYNTAX_ERROR)  # an empty unit between two separators
                units.append(self.unit())
            except ScpiError as error:
                units.append(error)
                self.skip_to_next_unit()
                continue
            self.consume(";")  # a separator at the end of the message is allowed

    def unit(self) -> ProgramUnit:
        header = self.header()
        data: tuple[DataElement, ...] = ()
        if not self.at_end() and self.peek() != ";":
            if self.peek() not in _WHITESPACE:
                raise ScpiError(SYNTAX_ERROR)  # no white space between the header and its data
            self.skip_whitespace()
            if not self.at_end() and self.peek() != ";":
                data = self.data_elements()
        self.skip_whitespace()
        if not self.at_end() and self.peek() != ";":
            raise ScpiError(INVALID_SEPARATOR)
        return ProgramUnit(header, data)

    def skip_to_next_unit(self) -> None:
        quote = ""
        while not self.at_end():
            char = self.text[self.at]
            self.at += 1
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == ";":
                return

    # -- headers -----------------------------------------------------------------------------------

    def header(self) -> Header:
        absolute = self.consume(":")
        if self.consume("*"):
            word = self.mnemonic()
            return Header((Mnemonic(word.upper(), None),), common=True, absolute=absolute, query=self.consume("?"))
        mnemonics = [self.mnemonic()]
        while self.consume(":"):
            mnemonics.append(self.mnemonic())
        query = self.consume("?")
        return Header(tuple(Mnemonic(*split_suffix(m)) for m in mnemonics), False, absolute, query)

    def mnemonic(self) -> str:
        match = _MNEMONIC.match(self.text, self.at)
        if match is None:
            raise ScpiError(INVALID_CHARACTER if self._invalid_here() else SYNTAX_ERROR)
        self.at = match.end()
        if len(match.group()) > _MAX_MNEMONIC:
            raise ScpiError(MNEMONIC_TOO_LONG)
        return match.group()

    # -- data ----------------------------------------------------------------------------------------

    def data_elements(self) -> tuple[DataElement, ...]:
        elements = [self.element()]
        while True:
            self.skip_whitespace()
            if not self.consume(","):
                return tuple(elements)
            self.skip_whitespace()
            elements.append(self.element())

    def element(self) -> DataElement:
        if self.at_end():
            raise ScpiError(SYNTAX_ERROR)
        char = self.peek()
        if char in "'\"":
            return self.string(char)
        if char == "#":
            return self.hash_data()
        if char == "(":
            return self.expression()
        if char.isascii() and (char.isdigit() or char in "+-."):
            return self.number()
        if char.isascii() and char.isalpha():
            return Word(self.mnemonic().upper())
        raise ScpiError(INVALID_CHARACTER if self._invalid_here() else SYNTAX_ERROR)

    def number(self) -> Number:
        match = _NUMBER.match(self.text, self.at)
        if match is None:
            raise ScpiError(SYNTAX_ERROR)
        self.at = match.end()
        value = float(re.sub(r"[ \t]", "", match.group()))
        suffix = _SUFFIX.match(self.text, self.at)
        if suffix is None:
            return Number(value)
        self.at = suffix.end()
        return Number(value, suffix.group(1).upper())

    def string(self, quote: str) -> Text:
        self.at += 1
        pieces: list[str] = []
        while True:
            end = self.text.find(quote, self.at)
            if end < 0:
                raise ScpiError(INVALID_STRING_DATA)
            pieces.append(self.text[self.at : end])
            self.at = end + 1
            if not self.consume(quote):  # a doubled quote is one quote inside the string
                return Text("".join(pieces))
            pieces.append(quote)

    def hash_data(self) -> Number | Block:
        self.at += 1
        kind = self.peek().upper() if not self.at_end() else ""
        if kind in _NON_DECIMAL:
            pattern, base = _NON_DECIMAL[kind]
            match = pattern.match(self.text, self.at + 1)
            if match is None:
                raise ScpiError(SYNTAX_ERROR)
            self.at = match.end()
            return Number(float(int(match.group(), base)))
        if not kind.isdigit():
            raise ScpiError(INVALID_BLOCK_DATA)
        digits = int(kind)
        self.at += 1
        if digits == 0:  # indefinite length: the block runs to the end of the message
            data, self.at = self.text[self.at :], len(self.text)
            return Block(data.encode("latin-1"))
        length_text = self.text[self.at : self.at + digits]
        if len(length_text) != digits or not length_text.isdigit():
            raise ScpiError(INVALID_BLOCK_DATA)
        start = self.at + digits
        end = start + int(length_text)
        if end > len(self.text):
            raise ScpiError(INVALID_BLOCK_DATA)
        self.at = end
        return Block(self.text[start:end].encode("latin-1"))

    def expression(self) -> Expression:
        depth, start = 0, self.at
        while not self.at_end():
            char = self.text[self.at]
            self.at += 1
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                return Expression(self.text[start + 1 : self.at - 1])
        raise ScpiError(SYNTAX_ERROR)

    # -- characters ---------------------------------------------------------------------------------

    def at_end(self) -> bool:
        return self.at >= len(self.text)

    def peek(self) -> str:
        return self.text[self.at]

    def consume(self, char: str) -> bool:
        if not self.at_end() and self.text[self.at] == char:
            self.at += 1
            return True
        return False

    def skip_whitespace(self) -> None:
        while not self.at_end() and self.text[self.at] in _WHITESPACE:
            self.at += 1

    def _invalid_here(self) -> bool:
        """Whether the character here is one no SCPI message holds (not printable ASCII)."""
        return not self.at_end() and not (self.peek().isascii() and self.peek().isprintable())

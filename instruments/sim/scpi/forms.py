"""Mnemonics as instrument manuals write them: ``FREQuency`` is ``FREQ`` or ``FREQUENCY``, nothing in between.

A manual writes the short form in capitals and the rest of the long form in lower case; a header or a keyword
matches either form, case-insensitively, and nothing else (``FREQU`` and ``FREQUENCYX`` are not ``FREQuency``).
A header pattern is written as the manual writes it: ``[:SOURce<ch:1-2>]:FREQuency[:CW]`` has two optional nodes;
``<ch:1-2>`` is a numeric suffix named ``ch`` that may be 1 or 2 and is 1 when the client leaves it out (SCPI-99
§6.2.5.2); ``<1>`` accepts only 1 (``:SOURce<1>``: ``SOUR`` or ``SOUR1``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Form", "Node", "Pattern", "SuffixOutOfRange"]

_FORM = re.compile(r"([A-Z_*]*)([a-z_]*)(\d*)")
_PATTERN_ITEM = re.compile(r"\[:?([^\[\]:<]+(?:<[^>]*>)?):?\]|:?([^\[\]:<]+(?:<[^>]*>)?)")
_SUFFIX_SPEC = re.compile(r"(\w+?)<(?:(\w+):)?(\d+)(?:-(\d+))?>")


@dataclass(frozen=True, slots=True)
class Form:
    """The two spellings of a mnemonic, in upper case.

    Args:
        short: The short form, e.g. ``FREQ`` (digits of a keyword like ``CHANnel1`` included: ``CHAN1``).
        long: The long form, e.g. ``FREQUENCY`` (``CHANNEL1``).
    """

    short: str
    long: str

    @classmethod
    def of(cls, mnemonic: str) -> Form:
        """Get the forms of a mnemonic written as a manual writes it (``SQUare``, ``CHANnel1``, ``DC``)."""
        match = _FORM.fullmatch(mnemonic)
        if match is None or not match.group(1):
            raise ValueError(f"{mnemonic!r} is not a mnemonic as manuals write them (capitals, then lower case)")
        capitals, rest, digits = match.groups()
        return cls(capitals + digits, (capitals + rest).upper() + digits)

    def matches(self, word: str) -> bool:
        """Tell whether ``word`` (any case) is this mnemonic's short or long form."""
        upper = word.upper()
        return upper in {self.short, self.long}


class SuffixOutOfRange(Exception):
    """A header's nodes all match a pattern, but a numeric suffix is one the pattern does not allow."""


@dataclass(frozen=True, slots=True)
class Node:
    """One node of a header pattern."""

    form: Form
    optional: bool
    suffix_name: str | None
    suffixes: range | None

    def suffix_for(self, given: int | None) -> int | None:
        """Get the suffix value for what the client wrote (None: none written); raise if not allowed."""
        if given is None:
            return None if self.suffixes is None else 1
        if self.suffixes is None:
            raise LookupError  # a suffix on a node that takes none: another header
        if given not in self.suffixes:
            raise SuffixOutOfRange
        return given


@dataclass(frozen=True, slots=True)
class Pattern:
    """A header as the manual writes it, e.g. ``[:SOURce<ch:1-2>]:VOLTage[:LEVel][:IMMediate][:AMPLitude]``.

    Attributes:
        nodes: The nodes in order (a common command such as ``*IDN`` is one node, ``*IDN``).
        query: Whether the pattern ends in ``?``.
    """

    nodes: tuple[Node, ...]
    query: bool

    @classmethod
    def parse(cls, text: str) -> Pattern:
        """Read a pattern in manual notation."""
        query = text.endswith("?")
        body = text.removesuffix("?")
        nodes = tuple(_node(match) for match in _PATTERN_ITEM.finditer(body))
        if not nodes:
            raise ValueError(f"{text!r} has no node")
        return cls(nodes, query)

    @property
    def common(self) -> bool:
        """Tell whether this is an IEEE 488.2 common command (``*IDN?``)."""
        return self.nodes[0].form.short.startswith("*")

    def suffix_names(self) -> dict[str, range]:
        """Get each named suffix and the values it may take."""
        return {node.suffix_name: node.suffixes for node in self.nodes if node.suffix_name and node.suffixes}

    def match(self, words: tuple[tuple[str, int | None], ...]) -> dict[str, int] | None:
        """Match a header's ``(word, suffix)`` nodes; get the named suffixes (1 where left out) or None.

        Raises:
            SuffixOutOfRange: Every word matches, but a suffix is out of its range.
        """
        found = _match(self.nodes, words)
        if found is None:
            return None
        suffixes = dict.fromkeys(self.suffix_names(), 1)
        suffixes.update(found)
        return suffixes


def _node(match: re.Match[str]) -> Node:
    optional, text = (True, match.group(1)) if match.group(1) is not None else (False, match.group(2))
    spec = _SUFFIX_SPEC.fullmatch(text)
    if spec is None:
        return Node(Form.of(text), optional, None, None)
    mnemonic, name, low, high = spec.groups()
    return Node(Form.of(mnemonic), optional, name, range(int(low), int(high or low) + 1))


def _match(nodes: tuple[Node, ...], words: tuple[tuple[str, int | None], ...]) -> Mapping[str, int] | None:
    """Match ``words`` to ``nodes``, each optional node matched or skipped; raise if only a suffix is wrong."""
    if not words:
        return {} if all(node.optional for node in nodes) else None
    if not nodes:
        return None
    node, (word, given) = nodes[0], words[0]
    out_of_range = False
    if node.form.matches(word):
        try:
            suffix = node.suffix_for(given)
        except LookupError:
            suffix, rest = None, None
        except SuffixOutOfRange:
            out_of_range, rest = True, None
        else:
            rest = _match(nodes[1:], words[1:])
        if rest is not None:
            return {**rest, node.suffix_name: suffix} if node.suffix_name and suffix is not None else rest
    if node.optional:
        skipped = _match(nodes[1:], words)
        if skipped is not None:
            return skipped
    if out_of_range:
        raise SuffixOutOfRange
    return None

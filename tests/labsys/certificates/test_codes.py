"""Verification codes: random, long enough never to be guessed, and typed back however a person reads them."""

from __future__ import annotations

import re

import pytest

from labsys.certificates.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    codes_match,
    format_code,
    new_verification_code,
    normalize_code,
)

pytestmark = pytest.mark.unit


def test_a_code_is_sixteen_characters_without_the_letters_people_misread() -> None:
    codes = {new_verification_code() for _ in range(200)}

    assert len(codes) == 200
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{16}", code) for code in codes)
    assert not set("ILOU") & set("".join(codes))
    assert CODE_LENGTH * 5 >= 80  # bits: 32 symbols carry 5 each


def test_a_code_is_printed_in_groups_of_four() -> None:
    assert format_code("7K3QM9XA2B8DTV4N") == "7K3Q-M9XA-2B8D-TV4N"


def test_a_code_typed_in_lower_case_with_spaces_or_misread_letters_matches() -> None:
    stored = "7K3QM9XA2B8D0V11"

    assert codes_match(stored, "7K3Q-M9XA-2B8D-0V11")
    assert codes_match(stored, " 7k3q m9xa 2b8d ov1l ")
    assert normalize_code("7k3q-m9xa-2b8d-oVIL") == stored


def test_a_wrong_or_empty_or_foreign_code_does_not_match() -> None:
    stored = new_verification_code()
    wrong = ("1" if stored[0] != "1" else "2") + stored[1:]

    assert not codes_match(stored, wrong)
    assert not codes_match(stored, "")
    assert not codes_match(stored, stored[:-1])
    assert not codes_match(stored, "시험성적서")


def test_the_alphabet_is_crockfords_base32() -> None:
    assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 32

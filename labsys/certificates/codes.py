"""Verification codes: the secret printed beside a certificate's number that lets anyone holding the paper see
what the lab's register says of it.

Certificate numbers count up (``LAB-2026-000001``, ``…000002``), so a number alone proves nothing about who holds
it. Each certificate therefore gets 16 random characters (80 bits, from :mod:`secrets`) in Crockford's base32
alphabet, which leaves out ``I``, ``L``, ``O`` and ``U``; they are printed in four groups (``7K3Q-M9XA-…``) and
typed back however a person reads them: lower case, with or without dashes and spaces, ``O`` for ``0`` and
``I``/``L`` for ``1`` all match.
"""

from __future__ import annotations

import hmac
import secrets

__all__ = ["CODE_ALPHABET", "CODE_LENGTH", "codes_match", "format_code", "new_verification_code", "normalize_code"]

#: Crockford's base32: digits and capitals without I, L, O and U, which read as 1, 1, 0 and V.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

#: Characters of a code: 80 bits, far beyond guessing at any rate a web server answers.
CODE_LENGTH = 16

_GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_verification_code() -> str:
    """A fresh random code, as stored: 16 characters of :data:`CODE_ALPHABET`, no dashes."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str:
    """A code as a person typed it, in the stored form: upper case, without dashes or spaces, ``O`` read as
    ``0`` and ``I``/``L`` as ``1``. Anything else is left as it is (and will not match)."""
    return typed.strip().upper().translate(_READ_AS)


def format_code(code: str) -> str:
    """A stored code as it is printed: groups of four joined by dashes (``7K3Q-M9XA-2B8D-TV4N``)."""
    return "-".join(code[i : i + _GROUP] for i in range(0, len(code), _GROUP))


def codes_match(stored: str, typed: str) -> bool:
    """Whether ``typed`` is the stored code, compared in constant time (the time taken says nothing about how
    many characters were right)."""
    return hmac.compare_digest(stored.encode(), normalize_code(typed).encode())

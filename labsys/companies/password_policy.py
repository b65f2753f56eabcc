"""Which passwords the lab accepts: those that zxcvbn (Dropbox's strength estimator) scores 3 or more out of 4.

zxcvbn estimates how many guesses a password takes against dictionaries, common passwords, keyboard patterns,
repeats, dates and the words of the person's own details (email, name, company), which it is given. Score 3 means
"safely unguessable: moderate protection from an offline attack" (about 10^8 guesses or more); ``aaaaaaaaaa`` scores
0 and ``password12`` 1. Only the first 72 characters are judged (zxcvbn's own bound on its work).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

from labsys.errors import InvalidInput

__all__ = ["MIN_SCORE", "check_password"]

#: The lowest zxcvbn score (0-4) a password must reach.
MIN_SCORE = 3

_JUDGED_LENGTH = 72
_WORDS = re.compile(r"[^\W_]+")


def _user_words(user_inputs: Iterable[str]) -> list[str]:
    words: list[str] = []
    for value in user_inputs:
        if value:
            words.append(value.lower())
            words.extend(w for w in _WORDS.findall(value.lower()) if len(w) > 2)
    return words


def check_password(password: str, *, user_inputs: Iterable[str], field: str = "password") -> None:
    """Refuse a password that is too easy to guess.

    Args:
        password: the password as typed.
        user_inputs: what the person's details say of them (email, name, company name): a password built from
            them is easy to guess.
        field: the name of the field the password was typed in, for the error.

    Raises:
        InvalidInput: the password scores below :data:`MIN_SCORE`; ``extra`` has ``rule`` (``password_strength``),
            ``score``, and zxcvbn's ``warning`` and ``suggestions`` (English).
    """
    result = zxcvbn(password[:_JUDGED_LENGTH], user_inputs=_user_words(user_inputs))
    score = int(result["score"])
    if score >= MIN_SCORE:
        return
    warning = result["feedback"]["warning"]
    suggestions = list(result["feedback"]["suggestions"])
    reasons = " ".join(part for part in (warning, *suggestions) if part)
    detail = f"this password is too easy to guess (strength {score} of 4; 3 needed)"
    raise InvalidInput(
        field,
        f"{detail}: {reasons}" if reasons else detail,
        rule="password_strength",
        score=score,
        warning=warning,
        suggestions=suggestions,
    )

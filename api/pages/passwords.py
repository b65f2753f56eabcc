"""What a page says when the lab refuses a new password: in the page's language, since zxcvbn's own hint is English
only."""

from __future__ import annotations

from api.pages.i18n import gettext as _
from labsys.errors import InvalidInput

__all__ = ["password_problem"]


def password_problem(error: InvalidInput) -> str:
    """Why a password was refused, as a form says it next to the password field."""
    if error.extra.get("rule") != "password_strength":
        return error.detail
    return _(
        "This password is too easy to guess: use a longer one, such as a few unrelated words, and avoid your name, "
        "email, company name, common words and repeated characters."
    )

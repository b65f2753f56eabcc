"""The lab's one error hierarchy. Services raise these; the API maps them to HTTP in one place."""

from __future__ import annotations

from typing import Any

__all__ = [
    "AuthenticationFailed",
    "ConfigurationError",
    "Conflict",
    "InvalidInput",
    "LabError",
    "MalformedInput",
    "NotFound",
    "PermissionDenied",
    "RuleViolation",
    "TooManyAttempts",
    "Unavailable",
    "UnsupportedMediaType",
]


class LabError(Exception):
    """Base of every error a lab service raises on purpose.

    Attributes:
        detail: a sentence for the person who caused it: what is wrong, and where possible what would work.
        extra: machine-readable facts (the rule, the field, the next free slot).
    """

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class ConfigurationError(LabError):
    """A setting has a bad value; the service refuses to start."""


class Unavailable(LabError):
    """The lab cannot answer this now (a part of it stopped); the same request may work a moment later."""


class NotFound(LabError):
    """The record does not exist, or the caller may not know that it does."""


class Conflict(LabError):
    """The request clashes with the state of the lab (a duplicate, a taken slot, a wrong lifecycle step)."""


class RuleViolation(Conflict):
    """A lab rule refuses the request; ``extra['rule']`` names it."""

    def __init__(self, rule: str, detail: str, **extra: Any) -> None:
        super().__init__(detail, rule=rule, **extra)
        self.rule = rule


class PermissionDenied(LabError):
    """The caller is known but may not do this."""


class AuthenticationFailed(LabError):
    """The caller could not be identified (wrong password, bad or expired token)."""


class InvalidInput(LabError):
    """A value is malformed; ``extra['field']`` names it."""

    def __init__(self, field: str, detail: str, **extra: Any) -> None:
        super().__init__(detail, field=field, **extra)
        self.field = field


class MalformedInput(InvalidInput):
    """The request cannot be read at all: its body is not the JSON it claims to be."""


class UnsupportedMediaType(InvalidInput):
    """The request's body comes in a format the lab does not read there (e.g. text where JSON is expected)."""


class TooManyAttempts(LabError):
    """Too many tries of something guessable (a password); the same request may be tried again after
    ``retry_after_s`` seconds, or sooner if an admin lifts the lock."""

    def __init__(self, detail: str, *, retry_after_s: int, **extra: Any) -> None:
        super().__init__(detail, retry_after_s=retry_after_s, **extra)
        self.retry_after_s = retry_after_s

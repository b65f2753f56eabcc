"""Watlow controllers."""

from instruments.watlow.f4t import WatlowF4T

__all__ = ["WatlowF4T"]

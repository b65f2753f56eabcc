"""Agilent (now Keysight) instruments."""

from instruments.agilent.agilent33500 import Agilent33500
from instruments.agilent.agilent34410a import Agilent34410A
from instruments.agilent.agilente4980 import AgilentE4980

__all__ = ["Agilent33500", "Agilent34410A", "AgilentE4980"]

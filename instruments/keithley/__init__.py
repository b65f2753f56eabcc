"""Keithley instruments."""

from instruments.keithley.keithley2450 import Keithley2450

__all__ = ["Keithley2450"]

"""Keysight instruments."""

from instruments.keysight.dsox3024t import KeysightDSOX3024T, Waveform

__all__ = ["KeysightDSOX3024T", "Waveform"]

"""What the lab uses each driver as, known without loading any driver: the demo and the equipment list ask it."""

from __future__ import annotations

__all__ = ["DRIVER_KINDS", "KINDS"]

#: The kinds of instrument the lab's methods need.
KINDS = ("smu", "dmm", "awg", "scope", "lcr", "temperature")

#: Each driver name the lab stores, and the kind of instrument it drives.
DRIVER_KINDS: dict[str, str] = {
    "keithley2450": "smu",
    "agilent34410a": "dmm",
    "agilent33500": "awg",
    "agilente4980": "lcr",
    "keysight_dsox3024t": "scope",
    "watlow_f4t": "temperature",
}

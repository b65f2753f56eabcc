"""A fixture at run time: its DUT, its temperature, and what the generator on it drives."""

from __future__ import annotations

from collections.abc import Callable

from instruments.sim.duts import DeviceUnderTest, SquareDrive

__all__ = ["Fixture"]


class Fixture:
    """Where a DUT sits; instruments cabled to the same fixture see one another's effect.

    Args:
        name: The fixture's name on the bench.
        dut: The mounted device, or None for an empty fixture.
        ambient_temperature_c: The room temperature, used when no chamber is on the fixture.
    """

    def __init__(self, name: str, dut: DeviceUnderTest | None, ambient_temperature_c: float) -> None:
        self.name = name
        self.dut = dut
        self.ambient_temperature_c = ambient_temperature_c
        self.temperature_source: Callable[[], float] | None = None
        self.drive_source: Callable[[], SquareDrive] | None = None

    def temperature_c(self) -> float:
        """Get the DUT's temperature in °C: the chamber's air if one is fitted, else ambient."""
        if self.temperature_source is None:
            return self.ambient_temperature_c
        return self.temperature_source()

    def drive(self) -> SquareDrive:
        """Get what the generator on the fixture applies (0 V if there is none)."""
        if self.drive_source is None:
            return SquareDrive(low_v=0.0, high_v=0.0, period_s=0.0)
        return self.drive_source()

"""Keithley 2450 SourceMeter: PyMeasure's driver with strict limits on what protects the part.

PyMeasure's stock class truncates an out-of-range compliance or source level silently; in a test lab a
clipped limit is a wrong limit, so the levels that protect the device under test refuse instead.
Everything else, including the commands sent, is the stock driver.
"""

from __future__ import annotations

from typing import Any

from pymeasure.instruments import Instrument
from pymeasure.instruments.keithley import Keithley2450 as StockKeithley2450
from pymeasure.instruments.validators import strict_range

__all__ = ["Keithley2450"]


class Keithley2450(StockKeithley2450):  # type: ignore[misc]  # pymeasure is untyped
    """Keithley 2450 SourceMeter (SCPI command set, not TSP).

    Args:
        adapter: A VISA resource string or a PyMeasure adapter.
        name: The name used in PyMeasure's log.
        **kwargs: Passed to :class:`pymeasure.instruments.Instrument`.
    """

    def __init__(self, adapter: Any, name: str = "Keithley 2450 SourceMeter", **kwargs: Any) -> None:
        super().__init__(adapter, name, **kwargs)

    compliance_current = Instrument.control(
        ":SOUR:VOLT:ILIM?",
        ":SOUR:VOLT:ILIM %g",
        """Control the current limit while sourcing voltage, in A (-1.05 to 1.05).""",
        validator=strict_range,
        values=[-1.05, 1.05],
    )

    compliance_voltage = Instrument.control(
        ":SOUR:CURR:VLIM?",
        ":SOUR:CURR:VLIM %g",
        """Control the voltage limit while sourcing current, in V (-210 to 210).""",
        validator=strict_range,
        values=[-210, 210],
    )

    source_voltage = Instrument.control(
        ":SOUR:VOLT?",
        ":SOUR:VOLT:LEV %g",
        """Control the source voltage, in V (-210 to 210).""",
        validator=strict_range,
        values=[-210, 210],
    )

    source_current = Instrument.control(
        ":SOUR:CURR?",
        ":SOUR:CURR:LEV %g",
        """Control the source current, in A (-1.05 to 1.05).""",
        validator=strict_range,
        values=[-1.05, 1.05],
    )

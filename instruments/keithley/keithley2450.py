"""Keithley 2450 SourceMeter: PyMeasure's driver with strict limits on what protects the part.

PyMeasure's stock class truncates an out-of-range compliance or source level silently; in a test lab a
clipped limit is a wrong limit, so the levels that protect the device under test refuse instead.
Everything else, including the commands sent, is the stock driver, plus what the stock driver lacks to
measure a DUT's voltage and current together: remote sense (four-wire) for the current and voltage functions,
source readback, and one reading of both the measurement and the (read back) source value.
"""

from __future__ import annotations

from typing import Any

from pymeasure.instruments import Instrument
from pymeasure.instruments.keithley import Keithley2450 as StockKeithley2450
from pymeasure.instruments.validators import strict_discrete_set, strict_range

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

    current_remote_sense = Instrument.control(
        ":SENS:CURR:RSEN?",
        ":SENS:CURR:RSEN %d",
        """Control remote (four-wire) sensing while measuring current (bool): the SMU regulates and measures the
        voltage at the DUT through the sense leads, so the force leads' drop is left out.""",
        validator=strict_discrete_set,
        values={True: 1, False: 0},
        map_values=True,
    )

    voltage_remote_sense = Instrument.control(
        ":SENS:VOLT:RSEN?",
        ":SENS:VOLT:RSEN %d",
        """Control remote (four-wire) sensing while measuring voltage (bool).""",
        validator=strict_discrete_set,
        values={True: 1, False: 0},
        map_values=True,
    )

    source_voltage_readback = Instrument.control(
        ":SOUR:VOLT:READ:BACK?",
        ":SOUR:VOLT:READ:BACK %d",
        """Control source readback while sourcing voltage (bool): on (the 2450's default), the source value of a
        reading is the voltage measured at the output (at the DUT with remote sense); off, the setpoint.""",
        validator=strict_discrete_set,
        values={True: 1, False: 0},
        map_values=True,
    )

    reading_with_source = Instrument.measurement(
        ':READ? "defbuffer1", READ, SOUR',
        """Measure one reading and its source value, as ``[reading, source]``: sourcing voltage and measuring
        current, the current in A and the voltage in V, measured when source readback is on.""",
    )

"""CAP-CD: parallel capacitance and dissipation factor of a capacitor at the standard test frequencies."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pymeasure.experiment import FloatParameter, IntegerParameter

from procedures.base import InstrumentSettings, LabProcedure

__all__ = ["TEST_FREQUENCIES_HZ", "CapacitanceDF"]

#: IEC 60384-1 test frequencies used by the lab: 100 Hz, 1 kHz, 10 kHz and 100 kHz.
TEST_FREQUENCIES_HZ = (100.0, 1_000.0, 10_000.0, 100_000.0)


class CapacitanceDF(LabProcedure):
    """Read Cp and D (``CPD``) ``repeats`` times at each test frequency.

    Columns: ``frequency`` (Hz), ``capacitance`` (F), ``dissipation`` (1).
    """

    INSTRUMENT_KINDS: ClassVar[tuple[str, ...]] = ("lcr",)

    voltage_level = FloatParameter("Test signal level", units="V", minimum=0.005, maximum=2.0, default=1.0)
    repeats = IntegerParameter("Readings per frequency", minimum=1, maximum=100, default=5)

    def startup(self) -> None:
        lcr = self.instruments["lcr"]
        lcr.mode = "CPD"
        lcr.ac_voltage = float(self.voltage_level)
        self.sink.define_columns(
            {"frequency": "Hz", "capacitance": "F", "dissipation": "1"}, axis="frequency", signal="capacitance"
        )

    def execute(self) -> None:
        lcr = self.instruments["lcr"]
        for step, frequency in enumerate(TEST_FREQUENCIES_HZ):
            if self.should_stop():
                return
            lcr.frequency = frequency
            n = int(self.repeats)
            capacitance, dissipation = np.empty(n), np.empty(n)
            for i in range(n):
                capacitance[i], dissipation[i] = (float(v) for v in lcr.impedance[:2])
            self.sink.append_rows(
                {"frequency": np.full(n, frequency), "capacitance": capacitance, "dissipation": dissipation}
            )
            self.report_progress(100.0 * (step + 1) / len(TEST_FREQUENCIES_HZ))

    def shutdown(self) -> None:
        # The E4980A's test signal is always applied while measuring; the lowest level leaves the part at rest.
        self.instruments["lcr"].ac_voltage = 0.005

    def instrument_settings(self) -> InstrumentSettings:
        """Get the LCR meter's settings: parallel C and D at the test signal level, the power-on integration."""
        return {
            "lcr": {
                "function": "CPD",
                "ac_voltage_v": float(self.voltage_level),
                "frequencies_hz": ", ".join(f"{f:g}" for f in TEST_FREQUENCIES_HZ),
                "aperture": "MED",
            }
        }

"""DIODE-IV: a forward voltage sweep of a diode on a source-measure unit, current limited, measured four-wire."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pymeasure.experiment import FloatParameter, IntegerParameter

from procedures.base import InstrumentSettings, LabProcedure

__all__ = ["DiodeIV"]

#: Points measured between two hand-overs to the sink (and two abort checks).
BLOCK_POINTS = 8


class DiodeIV(LabProcedure):
    """Step the SMU's source voltage and, at each step, measure the current and the voltage across the diode.

    The SMU senses four-wire (remote sense), so the voltage is the diode's own, without the leads' drop, and reads
    it back with the current in one reading. The current limit is always set.

    Columns: ``source_voltage`` (V, the setpoint), ``voltage`` (V, measured at the diode), ``current`` (A, measured).
    """

    INSTRUMENT_KINDS: ClassVar[tuple[str, ...]] = ("smu",)

    start_voltage = FloatParameter("Start voltage", units="V", minimum=0.0, maximum=2.0, default=0.3)
    stop_voltage = FloatParameter("Stop voltage", units="V", minimum=0.1, maximum=2.0, default=0.85)
    points = IntegerParameter("Points", minimum=5, maximum=1001, default=56)
    compliance_current = FloatParameter("Current limit", units="A", minimum=1e-6, maximum=1.0, default=0.1)
    nplc = FloatParameter("Integration time", units="PLC", minimum=0.01, maximum=10.0, default=1.0)
    ambient_temperature = FloatParameter("Ambient temperature", units="degC", minimum=0, maximum=50, default=23.0)

    def startup(self) -> None:
        smu = self.instruments["smu"]
        smu.apply_voltage(compliance_current=self.compliance_current)
        smu.measure_current(nplc=self.nplc, current=self.compliance_current)
        smu.current_remote_sense = True
        smu.source_voltage_readback = True
        smu.source_voltage = float(self.start_voltage)
        smu.enable_source()
        self.sink.define_columns(
            {"source_voltage": "V", "voltage": "V", "current": "A"}, axis="voltage", signal="current"
        )

    def execute(self) -> None:
        smu = self.instruments["smu"]
        setpoints = np.linspace(self.start_voltage, self.stop_voltage, int(self.points))
        for start in range(0, setpoints.size, BLOCK_POINTS):
            if self.should_stop():
                return
            block = setpoints[start : start + BLOCK_POINTS]
            currents, voltages = np.empty_like(block), np.empty_like(block)
            for i, setpoint in enumerate(block):
                smu.source_voltage = float(setpoint)
                currents[i], voltages[i] = (float(value) for value in smu.reading_with_source)
            self.sink.append_rows({"source_voltage": block, "voltage": voltages, "current": currents})
            self.report_progress(100.0 * (start + block.size) / setpoints.size)

    def shutdown(self) -> None:
        smu = self.instruments["smu"]
        smu.source_voltage = 0.0
        smu.disable_source()

    def instrument_settings(self) -> InstrumentSettings:
        """Get the SMU's settings: voltage source (auto range) with a current limit, current measured on autorange
        at the set NPLC, remote sense on, the source voltage read back."""
        return {
            "smu": {
                "source_function": "voltage",
                "source_range": "auto",
                "current_limit_a": float(self.compliance_current),
                "sense_function": "current",
                "current_range": "auto",
                "nplc": float(self.nplc),
                "remote_sense": True,
                "source_readback": True,
            }
        }

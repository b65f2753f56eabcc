"""DIODE-IV: a forward voltage sweep of a diode on a source-measure unit, current limited."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pymeasure.experiment import FloatParameter, IntegerParameter

from procedures.base import LabProcedure

__all__ = ["DiodeIV"]

#: Points measured between two hand-overs to the sink (and two abort checks).
BLOCK_POINTS = 8


class DiodeIV(LabProcedure):
    """Sweep the SMU's source voltage and read the current at each step, the current limit always set.

    Columns: ``voltage`` (V, swept), ``current`` (A, measured).
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
        smu.source_voltage = float(self.start_voltage)
        smu.enable_source()
        self.sink.define_columns({"voltage": "V", "current": "A"}, axis="voltage", signal="current")

    def execute(self) -> None:
        smu = self.instruments["smu"]
        voltages = np.linspace(self.start_voltage, self.stop_voltage, int(self.points))
        for start in range(0, voltages.size, BLOCK_POINTS):
            if self.should_stop():
                return
            block = voltages[start : start + BLOCK_POINTS]
            currents = np.empty_like(block)
            for i, voltage in enumerate(block):
                smu.source_voltage = float(voltage)
                currents[i] = float(smu.current)
            self.sink.append_rows({"voltage": block, "current": currents})
            self.report_progress(100.0 * (start + block.size) / voltages.size)

    def shutdown(self) -> None:
        smu = self.instruments["smu"]
        smu.source_voltage = 0.0
        smu.disable_source()

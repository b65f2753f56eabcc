"""RES-4W-TCR: four-wire resistance at a series of chamber temperatures, for R and its temperature coefficient."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pymeasure.experiment import FloatParameter, IntegerParameter

from procedures.base import InstrumentSettings, LabProcedure

__all__ = ["ResistanceTCR"]


class ResistanceTCR(LabProcedure):
    """Step the chamber, wait until it holds each temperature, then take four-wire readings.

    Columns: ``temperature`` (degC, read from the chamber at each reading), ``resistance`` (ohm).
    """

    INSTRUMENT_KINDS: ClassVar[tuple[str, ...]] = ("dmm", "temperature")

    start_temperature = FloatParameter("Start temperature", units="degC", minimum=-40, maximum=150, default=20.0)
    stop_temperature = FloatParameter("Stop temperature", units="degC", minimum=-40, maximum=150, default=80.0)
    temperature_steps = IntegerParameter("Temperature steps", minimum=2, maximum=20, default=4)
    readings_per_step = IntegerParameter("Readings per step", minimum=3, maximum=1000, default=10)
    reference_temperature = FloatParameter("Reference temperature", units="degC", minimum=0, maximum=100, default=25)
    stability = FloatParameter("Stable within", units="K", minimum=0.01, maximum=2.0, default=0.05)
    soak_timeout = FloatParameter("Longest wait per step", units="s", minimum=1, maximum=7200, default=900)
    standby_temperature = FloatParameter("Standby temperature", units="degC", minimum=15, maximum=30, default=23.0)

    def startup(self) -> None:
        self.sink.define_columns({"temperature": "degC", "resistance": "ohm"}, axis="temperature", signal="resistance")

    def execute(self) -> None:
        chamber, dmm = self.instruments["temperature"], self.instruments["dmm"]
        setpoints = np.linspace(self.start_temperature, self.stop_temperature, int(self.temperature_steps))
        for step, setpoint in enumerate(setpoints):
            if self.should_stop():
                return
            chamber.temperature_setpoint = float(setpoint)
            chamber.wait_until_stable(float(setpoint), tolerance_c=self.stability, timeout_s=self.soak_timeout)
            n = int(self.readings_per_step)
            temperatures, resistances = np.empty(n), np.empty(n)
            for i in range(n):
                resistances[i] = float(dmm.resistance_4w)
                temperatures[i] = float(chamber.temperature)
            self.sink.append_rows({"temperature": temperatures, "resistance": resistances})
            self.report_progress(100.0 * (step + 1) / setpoints.size)

    def shutdown(self) -> None:
        # The chamber goes back to standby so the next user does not find an oven.
        self.instruments["temperature"].temperature_setpoint = float(self.standby_temperature)

    def instrument_settings(self) -> InstrumentSettings:
        """Get the meter's settings (four-wire resistance, auto range, default resolution) and the chamber's."""
        return {
            "dmm": {"function": "four-wire resistance", "range": "auto", "resolution": "default", "nplc": 1.0},
            "temperature": {
                "control_loop": 1,
                "stable_within_k": float(self.stability),
                "soak_timeout_s": float(self.soak_timeout),
            },
        }

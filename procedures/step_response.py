"""STEP-RISE: the step response of a network driven by a square wave, captured by the oscilloscope."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from pymeasure.experiment import FloatParameter, IntegerParameter

from instruments.keysight import Waveform
from procedures.base import InstrumentSettings, LabProcedure

__all__ = ["StepResponse"]


class StepResponse(LabProcedure):
    """Drive the network with a 0 V to ``amplitude`` square wave and capture ``records`` rising edges.

    Each record is kept as the raw ADC codes the scope sends: waveform ``step_<n>`` with its scale, offset,
    start time (relative to the rising edge) and sample interval, handed to the sink block by block as the codes
    arrive. The generator is told its load is high
    impedance (the network is), so its levels are the open-circuit volts behind its 50 Ω source.
    """

    INSTRUMENT_KINDS: ClassVar[tuple[str, ...]] = ("awg", "scope")

    amplitude = FloatParameter("Step amplitude", units="V", minimum=0.01, maximum=10.0, default=1.0)
    frequency = FloatParameter("Square-wave frequency", units="Hz", minimum=1.0, maximum=100_000.0, default=50.0)
    record_points = IntegerParameter("Points per record", minimum=1000, maximum=4_000_000, default=1_000_000)
    records = IntegerParameter("Records", minimum=1, maximum=100, default=3)
    timebase = FloatParameter("Time base", units="s/div", minimum=1e-9, maximum=50.0, default=1e-4)

    def startup(self) -> None:
        generator, scope = self.instruments["awg"], self.instruments["scope"]
        generator.shape = "SQU"
        generator.output_load = "INF"
        generator.frequency = float(self.frequency)
        generator.voltage_high = float(self.amplitude)
        generator.voltage_low = 0.0
        generator.output = True
        scope.timebase_scale = float(self.timebase)
        scope.ch_1.scale = float(self.amplitude) / 6  # the step fills three quarters of the 8 divisions
        scope.ch_1.offset = float(self.amplitude) / 2
        # Trigger on the step itself, half-way up, and wait for it: with AUTO sweep a generator that is not driving
        # the network would give flat records instead of a timeout.
        scope.trigger_source = "CHAN1"
        scope.trigger_level = float(self.amplitude) / 2
        scope.trigger_slope = "POS"
        scope.trigger_sweep = "NORM"
        scope.configure_waveform_transfer(channel=1, points=int(self.record_points))

    def execute(self) -> None:
        scope = self.instruments["scope"]
        for n in range(int(self.records)):
            if self.should_stop():
                return
            scope.acquire(channel=1)
            scope.stream_waveform(partial(self._store, f"step_{n + 1}"))
            self.report_progress(100.0 * (n + 1) / int(self.records))

    def _store(self, name: str, block: Waveform) -> None:
        """Hand a block of a record to the sink as it arrives from the scope."""
        self.sink.append_waveform(
            name,
            block.raw,
            scale=block.y_increment_v,
            offset=block.y_origin_v - block.y_reference * block.y_increment_v,
            t0=block.x_origin_s,
            dt=block.x_increment_s,
            y_units="V",
        )

    def shutdown(self) -> None:
        self.instruments["awg"].output = False

    def instrument_settings(self) -> InstrumentSettings:
        """Get the generator's and the scope's settings; the scope's input (1 MΩ, DC) is its power-on setting, which
        the driver does not change."""
        amplitude = float(self.amplitude)
        return {
            "awg": {
                "shape": "square",
                "frequency_hz": float(self.frequency),
                "high_v": amplitude,
                "low_v": 0.0,
                "load": "high impedance",
            },
            "scope": {
                "channel": 1,
                "volts_per_division": amplitude / 6,
                "offset_v": amplitude / 2,
                "timebase_s_per_division": float(self.timebase),
                "record_points": int(self.record_points),
                "transfer_format": "WORD",
                "trigger": "channel 1, rising edge",
                "trigger_level_v": amplitude / 2,
                "trigger_sweep": "normal",
                "input_impedance_ohm": 1e6,
                "coupling": "DC",
            },
        }

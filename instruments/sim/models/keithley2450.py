"""Simulated Keithley 2450 SourceMeter (SCPI command set) with a diode or resistor on its fixture.

The unit errs as a real 2450 does, within the lab's table (:data:`instruments.accuracy.MODEL_ACCURACY`): its source
gives the setpoint off by the source accuracy (the voltage and current tables stand for it), and each measurement
is off by the gain and offset the unit drew for the range it is taken on, plus the range's noise at the set NPLC
(averaging N readings acts as N times the NPLC).

What a reading holds, as the 2450 does it: ``:READ?`` (or ``:READ? "defbuffer1", READ``) is the measure function's
reading; the ``SOUR`` element is the source value, *measured* while source readback is on (the 2450's default,
``:SOUR:VOLT:READ:BACK ON``) and the setpoint when it is off. So ``:READ? "defbuffer1", READ, SOUR`` gives the
measured current and the measured voltage of one operating point. ``:MEAS:CURR?``, ``:MEAS:VOLT?`` and
``:MEAS:RES?`` select the function and read it.

A reading takes as long as on the hardware (on the bench's clock, :mod:`instruments.sim.clock`): the integration,
NPLC power-line cycles (1 PLC = 1/60 s on the lab's 60 Hz mains in Korea; the 2450 reference manual sets the
integration "in number of power line cycles"), times the averaging count when the averaging filter is on (the 2450
averages that many readings into one), plus :data:`READING_OVERHEAD_S` for the conversion and the reference
measurements of autozero. Voltage and current are integrated together, so ``READ, SOUR`` costs one reading.

Every reading goes to the buffer named (``defbuffer1`` unless another is), whose ``:TRACe:STATistics`` queries
summarise it. Remote sense (``:SENS:<function>:RSEN ON``, of the active measure function) takes the fixture's leads
out of the loop; two-wire, they are in series with the DUT. The fixture is cabled to the front terminals: on the
rear ones (``:ROUT:TERM REAR``) the SMU sees an open circuit.
"""

from __future__ import annotations

import time
from typing import ClassVar

from instruments.accuracy import MODEL_ACCURACY
from instruments.sim.clock import SimulatedClock
from instruments.sim.config import InstrumentSpec
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.models.keithley2450_commands import smu_commands
from instruments.sim.models.reading_buffer import BUFFER_NAMES, BufferedReading, ReadingBuffer
from instruments.sim.models.smu_circuit import OPEN_CIRCUIT_OHM, OperatingPoint, sourcing_current, sourcing_voltage
from instruments.sim.scpi import DATA_OUT_OF_RANGE, Call, CommandTree, Reply, ReplyFormat, ScpiError, nr3
from instruments.sim.unit_errors import OVERFLOW, Reading

__all__ = ["LINE_FREQUENCY_HZ", "READING_OVERHEAD_S", "SimulatedKeithley2450"]

#: The power line the lab's instruments integrate over: Korea's mains, 60 Hz.
LINE_FREQUENCY_HZ = 60.0
#: What a reading costs beyond its integration, in s: the bench's figure for the A/D conversion, autozero's reference
#: readings amortised and the reply; not a datasheet figure (the 2450 lists reading rates per NPLC, not this split).
READING_OVERHEAD_S = 0.002

_TABLE = {"VOLT": MODEL_ACCURACY["keithley2450"]["voltage"], "CURR": MODEL_ACCURACY["keithley2450"]["current"]}


class SimulatedKeithley2450(SimulatedInstrument):
    """A 2450 sourcing voltage or current into the fixture's DUT and reading ``:READ?``."""

    def __init__(
        self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int], *, clock: SimulatedClock | None = None
    ) -> None:
        super().__init__(spec, fixture, seed, clock=clock)
        self._measure = {name: self.function(f"measure {name}", table) for name, table in _TABLE.items()}
        self._source = {name: self.function(f"source {name}", table) for name, table in _TABLE.items()}
        self.buffers = {name: ReadingBuffer() for name in BUFFER_NAMES}

    def reset(self) -> None:
        """``*RST``: settings to their defaults and the buffers emptied."""
        super().reset()
        self.buffers = {name: ReadingBuffer() for name in BUFFER_NAMES}

    @property
    def sense_function(self) -> str:
        """Get the measure function: ``VOLT``, ``CURR`` or ``RES``."""
        return str(self.settings["sense_function"]).split(":")[0]

    # -- readings ----------------------------------------------------------------------------------

    def read(self, call: Call) -> Reply:
        """``:READ? ["<buffer>"[, <element>...]]``: take a reading, store it, answer the elements asked."""
        buffer_name = str(call.arguments[0] or "defbuffer1").lower()
        elements = [str(element) for element in call.arguments[1:] if element is not None] or ["READ"]
        self.work(self._nplc(self.sense_function) / LINE_FREQUENCY_HZ + READING_OVERHEAD_S)
        point = self._operating_point()
        entry = BufferedReading(
            self._reading(point),
            self._source_value(point),
            self.sense_function,
            str(self.settings["source_function"]),
            time.time(),
        )
        buffer = self.buffers[buffer_name]
        buffer.add(entry)
        return ",".join(self._element(buffer.element(entry, element)) for element in elements)

    def measure(self, call: Call, function: str) -> Reply:
        """``:MEASure:<function>?``: select the function, then read as ``:READ?`` does."""
        self.settings["sense_function"] = {"VOLT": "VOLT:DC", "CURR": "CURR:DC"}.get(function, function)
        return self.read(call)

    def _element(self, value: str | float) -> str:
        return value if isinstance(value, str) else self.tree.replies.number(value)

    def _reading(self, point: OperatingPoint) -> float:
        """The measure function's reading of the operating point."""
        function = self.sense_function
        nplc = self._nplc(function)
        if function != "RES":
            return self._take(function, point, self._fixed_range(f"{function}_range"), nplc).value
        voltage = self._take("VOLT", point, None, nplc)
        current = self._take("CURR", point, None, nplc)
        if voltage.overflow or current.overflow:
            return OVERFLOW
        return voltage.value / current.value if current.value else OPEN_CIRCUIT_OHM

    def _nplc(self, function: str) -> float:
        """The integration of one reading in power-line cycles; averaging N readings integrates N times as long."""
        nplc = float(self.settings[f"{function}_nplc"])
        return (
            nplc * float(self.settings[f"{function}_average_count"]) if self.settings[f"{function}_average"] else nplc
        )

    def _source_value(self, point: OperatingPoint) -> float:
        """The ``SOUR`` element: the measured source value with readback on, else the setpoint."""
        function = str(self.settings["source_function"])
        setpoint = self._setpoint(function)
        if not self.settings[f"source_{function}_readback"]:
            return setpoint
        span = self._source[function].span(setpoint, self._fixed_range(f"source_{function}_range"))
        return self._take(function, point, span.full_scale, self._nplc(self.sense_function)).value

    def _take(self, function: str, point: OperatingPoint, range_setting: float | None, nplc: float) -> Reading:
        true_value = point.sensed_v if function == "VOLT" else point.current_a
        return self._measure[function].read(true_value, range_setting=range_setting, nplc=nplc, noise=self.noise)

    def _setpoint(self, function: str) -> float:
        return float(self.settings["source_voltage_v" if function == "VOLT" else "source_current_a"])

    def _fixed_range(self, key: str) -> float | None:
        return None if self.settings[f"{key}_auto"] else float(self.settings[key])

    def _operating_point(self) -> OperatingPoint:
        """Where the output sits now: the source's true output into the DUT, limits applied, DUT noise added."""
        dut = self.fixture.dut if self.settings["terminals"] == "FRON" else None
        noise_a = self.noise(getattr(dut, "current_noise_a", 0.0))
        if not self.settings["output"]:
            return OperatingPoint(0.0, noise_a)
        four_wire = bool(self.settings[f"{self.sense_function}_remote_sense"])
        temperature_c = self.fixture.temperature_c()
        function = str(self.settings["source_function"])
        output = self._source[function].output(self._setpoint(function), self._fixed_range(f"source_{function}_range"))
        if function == "VOLT":
            limit_a = float(self.settings["current_limit_a"])
            point = sourcing_voltage(dut, output, limit_a, temperature_c, four_wire=four_wire)
            return OperatingPoint(point.sensed_v, point.current_a + noise_a, point.in_limit)
        limit_v = float(self.settings["voltage_limit_v"])
        return sourcing_current(dut, output, limit_v, temperature_c, four_wire=four_wire)

    # -- settings that touch others ------------------------------------------------------------------

    def set_range(self, call: Call, key: str) -> None:
        """Set a fixed range (its magnitude) and turn autorange off, as a 2450 does."""
        self.settings[key] = abs(call.number(0))
        self.settings[f"{key}_auto"] = False

    def set_delay(self, call: Call, function: str) -> None:
        """Set a source delay and turn the automatic delay off."""
        self.settings[f"source_{function}_delay_s"] = call.number(0)
        self.settings[f"source_{function}_delay_auto"] = False

    # -- the reading buffers -------------------------------------------------------------------------

    def buffer(self, call: Call, index: int = 0) -> ReadingBuffer:
        """Get the buffer named by argument ``index`` (``defbuffer1`` if left out)."""
        return self.buffers[str(call.arguments[index] or "defbuffer1").lower()]

    def clear_buffer(self, call: Call) -> None:
        """``:TRACe:CLEar``."""
        self.buffer(call).readings.clear()

    def resize_buffer(self, call: Call) -> None:
        """``:TRACe:POINts <size>[, "<buffer>"]``."""
        self.buffer(call, 1).resize(int(call.number(0)))

    def buffer_size(self, call: Call) -> Reply:
        """``:TRACe:POINts? ["<buffer>"]``."""
        return self.tree.replies.integer(self.buffer(call).capacity)

    def buffer_count(self, call: Call) -> Reply:
        """``:TRACe:ACTual? ["<buffer>"]``."""
        return self.tree.replies.integer(len(self.buffer(call).readings))

    def buffer_statistic(self, call: Call, name: str) -> Reply:
        """``:TRACe:STATistics:<name>? ["<buffer>"]``."""
        return self.tree.replies.number(self.buffer(call).statistic(name))

    def buffer_data(self, call: Call) -> Reply:
        """``:TRACe:DATA? <start>, <end>[, "<buffer>"[, <element>...]]``: readings start to end (from 1)."""
        buffer = self.buffer(call, 2)
        start, end = int(call.number(0)), int(call.number(1))
        if not 1 <= start <= end <= len(buffer.readings):
            raise ScpiError(DATA_OUT_OF_RANGE)
        elements = [str(element) for element in call.arguments[3:] if element is not None] or ["READ"]
        entries = list(buffer.readings)[start - 1 : end]
        return ",".join(self._element(buffer.element(e, element)) for e in entries for element in elements)

    commands: ClassVar[CommandTree[SimulatedKeithley2450]] = CommandTree(
        smu_commands(), replies=ReplyFormat(number=nr3(6, sign=False))
    )

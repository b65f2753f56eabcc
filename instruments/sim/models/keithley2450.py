"""Simulated Keithley 2450 SourceMeter (SCPI command set) with a diode or resistor on its fixture.

The unit errs as a real 2450 does, within the lab's table (:data:`instruments.accuracy.MODEL_ACCURACY`): its source
gives the setpoint off by the source accuracy (the voltage and current tables stand for it), and each measurement
is off by the gain and offset the unit drew for the range it is taken on, plus the range's noise at the set NPLC.

What a reading holds, as the 2450 does it: ``:READ?`` (or ``:READ? "defbuffer1", READ``) is the measure function's
reading; the ``SOUR`` element is the source value, *measured* while source readback is on (the 2450's default,
``:SOUR:VOLT:READ:BACK ON``) and the setpoint when it is off. So ``:READ? "defbuffer1", READ, SOUR`` gives the
measured current and the measured voltage of one operating point. ``:MEAS:CURR?``, ``:MEAS:VOLT?`` and
``:MEAS:RES?`` select the function and read it. Remote sense (``:SENS:<function>:RSEN ON``, of the active measure
function) takes the fixture's leads out of the loop; two-wire, they are in series with the DUT.
"""

from __future__ import annotations

from collections.abc import Callable

from instruments.accuracy import MODEL_ACCURACY
from instruments.sim.config import InstrumentSpec
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.models.smu_circuit import (
    OPEN_CIRCUIT_OHM,
    OperatingPoint,
    sourcing_current,
    sourcing_voltage,
)
from instruments.sim.scpi import (
    ILLEGAL_PARAMETER,
    ScpiError,
    format_number,
    parse_number,
    short_form,
    single_argument,
)
from instruments.sim.unit_errors import OVERFLOW, Reading

__all__ = ["SimulatedKeithley2450"]

_SENSE_FUNCTIONS = ("VOLT", "CURR", "RES")
_TABLE = {"VOLT": MODEL_ACCURACY["keithley2450"]["voltage"], "CURR": MODEL_ACCURACY["keithley2450"]["current"]}
_BUFFERS = frozenset({"DEFBUFFER1", "DEFBUFFER2"})
_ELEMENTS = frozenset({"READ", "SOUR"})


class SimulatedKeithley2450(SimulatedInstrument):
    """A 2450 sourcing voltage or current into the fixture's DUT and reading ``:READ?``."""

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec, fixture, seed)
        self._measure = {name: self.function(f"measure {name}", table) for name, table in _TABLE.items()}
        self._source = {name: self.function(f"source {name}", table) for name, table in _TABLE.items()}
        self.choice_setting("source_function", ":SOUR:FUNC", choices=("VOLT", "CURR"), default="VOLT")
        self.choice_setting("sense_function", ":SENS:FUNC", choices=_SENSE_FUNCTIONS, default="CURR")
        self.switch_setting("output", "OUTP", default=False)
        self._declare_source_settings()
        for function in _SENSE_FUNCTIONS:
            self.number_setting(
                f"{function}_nplc", writes=(f":SENS:{function}:NPLC",), reads=(f":SENS:{function}:NPLC?",),
                low=0.01, high=10.0, default=1.0,
            )  # fmt: skip
            self._range_setting(f"{function}_range", f":SENS:{function}:RANG", high=210e6)
            self.switch_setting(f"{function}_remote_sense", f":SENS:{function}:RSEN", default=False)
        for header in (":ABOR", ":INIT", ":TRAC:CLE", "*TRG", ":ROUT:TERM"):
            self.on(header, lambda _: None)
        self.on(":READ?", self._read)
        for function in _SENSE_FUNCTIONS:
            self.on(f":MEAS:{function}?", self._measure_function(function))

    def _declare_source_settings(self) -> None:
        self.number_setting(
            "source_voltage_v", writes=(":SOUR:VOLT:LEV", ":SOUR:VOLT"),
            reads=(":SOUR:VOLT?", ":SOUR:VOLT:LEV?"), low=-210.0, high=210.0, default=0.0,
        )  # fmt: skip
        self.number_setting(
            "source_current_a", writes=(":SOUR:CURR:LEV", ":SOUR:CURR"),
            reads=(":SOUR:CURR?", ":SOUR:CURR:LEV?"), low=-1.05, high=1.05, default=0.0,
        )  # fmt: skip
        self.number_setting(
            "current_limit_a", writes=(":SOUR:VOLT:ILIM",), reads=(":SOUR:VOLT:ILIM?",),
            low=1e-9, high=1.05, default=1.05e-4,
        )  # fmt: skip
        self.number_setting(
            "voltage_limit_v", writes=(":SOUR:CURR:VLIM",), reads=(":SOUR:CURR:VLIM?",),
            low=0.02, high=210.0, default=21.0,
        )  # fmt: skip
        for function in ("VOLT", "CURR"):
            self._range_setting(f"source_{function}_range", f":SOUR:{function}:RANG", high=210.0)
            self.switch_setting(f"source_{function}_readback", f":SOUR:{function}:READ:BACK", default=True)

    def _range_setting(self, key: str, header: str, *, high: float) -> None:
        """A range and its autorange switch (``<header>:AUTO``); setting a range turns autorange off, as on a 2450."""
        self.number_setting(key, writes=(), reads=(f"{header}?",), low=0.0, high=high, default=0.0)
        self.switch_setting(f"{key}_auto", f"{header}:AUTO", default=True)

        def write(arguments: list[str]) -> None:
            text = single_argument(arguments)
            magnitude = abs(parse_number(text, -high, high))
            self.settings[key] = 0.0 if short_form(text) == "MIN" else magnitude
            self.settings[f"{key}_auto"] = False

        self.on(header, write)

    def _fixed_range(self, key: str) -> float | None:
        return None if self.settings[f"{key}_auto"] else float(self.settings[key])

    # -- readings ----------------------------------------------------------------------------------

    def _measure_function(self, function: str) -> Callable[[list[str]], str]:
        """``:MEAS:<function>?``: select the measure function, then read as ``:READ?`` does."""

        def measure(arguments: list[str]) -> str:
            self.settings["sense_function"] = function
            return self._read(arguments)

        return measure

    def _read(self, arguments: list[str]) -> str:
        """``:READ? ["<buffer>"[, <element>...]]``: the reading, and the source value where asked."""
        if arguments and arguments[0].upper() not in _BUFFERS:
            raise ScpiError(ILLEGAL_PARAMETER)
        elements = [element.upper() for element in arguments[1:]] or ["READ"]
        if not set(elements) <= _ELEMENTS:
            raise ScpiError(ILLEGAL_PARAMETER)
        point = self._operating_point()
        values = {"READ": self._reading(point), "SOUR": self._source_value(point)}
        return ",".join(format_number(values[element]) for element in elements)

    def _reading(self, point: OperatingPoint) -> float:
        """The measure function's reading of the operating point."""
        function = str(self.settings["sense_function"])
        nplc = float(self.settings[f"{function}_nplc"])
        if function != "RES":
            return self._take(function, point, self._fixed_range(f"{function}_range"), nplc).value
        voltage = self._take("VOLT", point, None, nplc)
        current = self._take("CURR", point, None, nplc)
        if voltage.overflow or current.overflow:
            return OVERFLOW
        return voltage.value / current.value if current.value else OPEN_CIRCUIT_OHM

    def _source_value(self, point: OperatingPoint) -> float:
        """The ``SOUR`` element: the measured source value with readback on, else the setpoint."""
        function = str(self.settings["source_function"])
        setpoint = self._setpoint(function)
        if not self.settings[f"source_{function}_readback"]:
            return setpoint
        span = self._source[function].span(setpoint, self._fixed_range(f"source_{function}_range"))
        nplc = float(self.settings[f"{self.settings['sense_function']}_nplc"])
        return self._take(function, point, span.full_scale, nplc).value

    def _take(self, function: str, point: OperatingPoint, range_setting: float | None, nplc: float) -> Reading:
        true_value = point.sensed_v if function == "VOLT" else point.current_a
        return self._measure[function].read(true_value, range_setting=range_setting, nplc=nplc, noise=self.noise)

    def _setpoint(self, function: str) -> float:
        return float(self.settings["source_voltage_v" if function == "VOLT" else "source_current_a"])

    def _operating_point(self) -> OperatingPoint:
        """Where the output sits now: the source's true output into the DUT, limits applied, DUT noise added."""
        dut = self.fixture.dut
        noise_a = self.noise(getattr(dut, "current_noise_a", 0.0))
        if not self.settings["output"]:
            return OperatingPoint(0.0, noise_a)
        four_wire = bool(self.settings[f"{self.settings['sense_function']}_remote_sense"])
        temperature_c = self.fixture.temperature_c()
        function = str(self.settings["source_function"])
        output = self._source[function].output(self._setpoint(function), self._fixed_range(f"source_{function}_range"))
        if function == "VOLT":
            limit_a = float(self.settings["current_limit_a"])
            point = sourcing_voltage(dut, output, limit_a, temperature_c, four_wire=four_wire)
            return OperatingPoint(point.sensed_v, point.current_a + noise_a, point.in_limit)
        limit_v = float(self.settings["voltage_limit_v"])
        return sourcing_current(dut, output, limit_v, temperature_c, four_wire=four_wire)

"""Simulated Agilent 34410A multimeter reading the resistor on its fixture.

Resistance and DC voltage err as the unit's datasheet allows (:data:`instruments.accuracy.MODEL_ACCURACY`): a gain
and an offset error per range, drawn once for the unit, and the range's noise (falling as 1/sqrt(NPLC)). Two-wire
``RES`` adds both leads of the fixture; four-wire ``FRES`` does not. Nothing drives the input, so DC voltage reads
the unit's offset and noise, and current reads noise.

The commands are the manual's: ``MEASure:<function>? [{<range>|AUTO|MIN|MAX|DEF}[, <resolution>]]`` configures
and reads at once (autorange for ``AUTO``, ``DEF`` or nothing, else the smallest range that holds the value; a
reading past that range's 120 % is an overload, ±9.9E+37); ``CONFigure:<function>`` then ``READ?`` (or ``INIT``
then ``FETCh?``) takes ``SAMPle:COUNt`` × ``TRIGger:COUNt`` readings; ``[SENSe:]<function>:NPLCycles`` and
``[SENSe:]<function>:RANGe`` set what the next readings use.

Readings take as long as on the hardware (on the bench's clock, :mod:`instruments.sim.clock`): each integrates NPLC
power-line cycles (the 34410A user's guide: the A/D converter samples the input for NPLC line cycles, 0.006 to 100;
1 PLC = 1/60 s on the lab's 60 Hz mains), plus ``TRIGger:DELay`` per trigger and :data:`READING_OVERHEAD_S`; ``READ?``
and ``INIT`` take ``SAMPle:COUNt`` × ``TRIGger:COUNt`` of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from instruments.accuracy import MODEL_ACCURACY
from instruments.sim.clock import SimulatedClock
from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import Resistor
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import (
    STATUS_PRESET,
    Boolean,
    Call,
    Choice,
    Command,
    CommandTree,
    Entry,
    Numeric,
    QuotedChoice,
    ScpiError,
    Setting,
    error_queries,
    ieee488_commands,
    quoted,
)
from instruments.sim.unit_errors import OVERFLOW, RangedFunction

__all__ = ["OVERLOAD", "READING_OVERHEAD_S", "SimulatedAgilent34410A"]

#: The power line the lab's instruments integrate over: Korea's mains, 60 Hz.
_LINE_FREQUENCY_HZ = 60.0
#: What a reading costs beyond its integration, in s: the bench's figure for autozero, conversion and the reply;
#: not a datasheet figure (the 34410A data sheet gives reading rates per NPLC, not this split).
READING_OVERHEAD_S = 0.001

#: What a 34410A reads on an open input or out of range.
OVERLOAD = OVERFLOW
_DC_NOISE_A = 2e-10
_TABLE = MODEL_ACCURACY["agilent34410a"]
_NO_READINGS = (-230, "Data corrupt or stale")
_TRIGGER_DEADLOCK = (-214, "Trigger deadlock")
# Function (short form, optional nodes left out) -> its header under MEASure:/CONFigure:/[SENSe:], top range and
# range after *RST.
_FUNCTIONS = {
    "VOLT": ("VOLTage[:DC]", 1000.0, 10.0),
    "VOLT:AC": ("VOLTage:AC", 750.0, 10.0),
    "CURR": ("CURRent[:DC]", 3.0, 0.1),
    "CURR:AC": ("CURRent:AC", 3.0, 0.1),
    "RES": ("RESistance", 1e9, 1e3),
    "FRES": ("FRESistance", 1e9, 1e3),
}
_UNITS = {"VOLT": "V", "CURR": "A", "RES": "OHM", "FRES": "OHM"}
_HEADERS = tuple(header for header, _, _ in _FUNCTIONS.values())
_NPLC = Numeric(0.006, 100.0, default=1.0)
_SAMPLES = Numeric(1, 50_000, integer=True, default=1)


def _range_parameter(function: str, top: float) -> Numeric:
    """``{<range>|AUTO|MIN|MAX|DEF}``: None for autorange; MIN is 0, which selects the smallest range."""
    unit = _UNITS[function.split(":", maxsplit=1)[0]]
    return Numeric(0.0, top, unit=unit, keywords={"AUTO": None, "DEFault": None}, optional=True)


_RESOLUTION = Numeric(0.0, 1e9, keywords={"DEFault": None}, optional=True)


def _function_commands(
    configure: Callable[[SimulatedAgilent34410A, Call, str], None],
    measure: Callable[[SimulatedAgilent34410A, Call, str], str],
    set_range: Callable[[SimulatedAgilent34410A, Call, str], None],
) -> list[Entry[SimulatedAgilent34410A]]:
    """The ``MEASure``, ``CONFigure`` and ``[SENSe:]`` commands of every function."""
    return [
        entry
        for function, (header, top, default_range) in _FUNCTIONS.items()
        for entry in _commands_of(
            function=function,
            header=header,
            top=top,
            default_range=default_range,
            configure=configure,
            measure=measure,
            set_range=set_range,
        )
    ]


def _commands_of(
    *,
    function: str,
    header: str,
    top: float,
    default_range: float,
    configure: Callable[[SimulatedAgilent34410A, Call, str], None],
    measure: Callable[[SimulatedAgilent34410A, Call, str], str],
    set_range: Callable[[SimulatedAgilent34410A, Call, str], None],
) -> list[Entry[SimulatedAgilent34410A]]:
    parameters = (_range_parameter(function, top), _RESOLUTION)
    return [
        Command(f":MEASure:{header}?", lambda device, call: measure(device, call, function), parameters),
        Command(f":CONFigure:{header}", lambda device, call: configure(device, call, function), parameters),
        Setting(f"[:SENSe]:{header}:NPLCycles", f"{function}/nplc", _NPLC, 1.0),
        Setting(
            f"[:SENSe]:{header}:RANGe[:UPPer]", f"{function}/range", Numeric(0.0, top), default_range, query_only=True
        ),
        Command(
            f"[:SENSe]:{header}:RANGe[:UPPer]",
            lambda device, call: set_range(device, call, function),
            (Numeric(0.0, top, unit=_UNITS[function.split(":", maxsplit=1)[0]]),),
        ),
        Setting(f"[:SENSe]:{header}:RANGe:AUTO", f"{function}/auto", Boolean(), True),
    ]


class SimulatedAgilent34410A(SimulatedInstrument):
    """A 34410A taking readings of its fixture as ``MEASure``, ``CONFigure``/``READ?`` and ``INIT``/``FETCh?`` ask."""

    def __init__(
        self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int], *, clock: SimulatedClock | None = None
    ) -> None:
        super().__init__(spec, fixture, seed, clock=clock)
        self._resistance = self.function("resistance", _TABLE["resistance_4w"])
        self._voltage = self.function("dc voltage", _TABLE["voltage_dc"])
        self.readings: list[float] = []

    def resistance_ohm(self, range_setting: float | None, nplc: float, *, four_wire: bool) -> float:
        """Read the resistance in Ω; two-wire adds both leads, an empty fixture reads overload."""
        dut = self.fixture.dut
        if not isinstance(dut, Resistor):
            return OVERLOAD
        true_ohm = dut.resistance_ohm(self.fixture.temperature_c()) + self.noise(dut.noise_ohm)
        if not four_wire:
            true_ohm += 2 * dut.lead_resistance_ohm
        return self._resistance.read(true_ohm, range_setting=range_setting, nplc=nplc, noise=self.noise).value

    def voltage_v(self, range_setting: float | None, nplc: float) -> float:
        """Read the DC voltage in V: nothing on the fixture drives the input, so its offset and noise."""
        return self._voltage.read(0.0, range_setting=range_setting, nplc=nplc, noise=self.noise).value

    def reading(self) -> float:
        """Take one reading as the instrument is configured."""
        function = str(self.settings["function"])
        fixed = None if self.settings[f"{function}/auto"] else float(self.settings[f"{function}/range"])
        nplc = float(self.settings[f"{function}/nplc"])
        readers: dict[str, Callable[[], float]] = {
            "VOLT": lambda: self.voltage_v(fixed, nplc),
            "VOLT:AC": lambda: abs(self.voltage_v(fixed, nplc)),
            "CURR": lambda: self.noise(_DC_NOISE_A),
            "CURR:AC": lambda: abs(self.noise(_DC_NOISE_A)),
            "RES": lambda: self.resistance_ohm(fixed, nplc, four_wire=False),
            "FRES": lambda: self.resistance_ohm(fixed, nplc, four_wire=True),
        }
        return readers[function]()

    def _function_of(self, function: str) -> RangedFunction | None:
        return {"RES": self._resistance, "FRES": self._resistance, "VOLT": self._voltage}.get(function)

    # -- handlers ----------------------------------------------------------------------------------

    def _configure(self, call: Call, function: str) -> None:
        """Select ``function`` with a range (None: autorange) and default trigger and sample counts."""
        self.settings["function"] = function
        requested = call.arguments[0] if call.arguments else None
        self.settings[f"{function}/auto"] = requested is None
        if isinstance(requested, float):
            ranged = self._function_of(function)
            span = ranged.span(requested, requested).full_scale if ranged else requested
            self.settings[f"{function}/range"] = span
        self.settings.update({"samples": 1.0, "triggers": 1.0, "trigger_source": "IMM"})
        self.readings = []

    def _measure(self, call: Call, function: str) -> str:
        self._configure(call, function)
        return self._read(call)

    def _initiate(self, call: Call) -> None:
        samples, triggers = float(self.settings["samples"]), float(self.settings["triggers"])
        function = str(self.settings["function"])
        nplc = float(self.settings[f"{function}/nplc"])
        reading_s = nplc / _LINE_FREQUENCY_HZ + READING_OVERHEAD_S
        self.work(samples * triggers * reading_s + triggers * float(self.settings["trigger_delay_s"]))
        self.readings = [self.reading() for _ in range(int(samples * triggers))]

    def _fetch(self, call: Call) -> str:
        if not self.readings:
            raise ScpiError(_NO_READINGS)
        return ",".join(self.tree.replies.number(value) for value in self.readings)

    def _read(self, call: Call) -> str:
        if self.settings["trigger_source"] == "BUS":
            raise ScpiError(_TRIGGER_DEADLOCK)
        self._initiate(call)
        return self._fetch(call)

    def _configuration(self, call: Call) -> str:
        function = str(self.settings["function"])
        span = float(self.settings[f"{function}/range"])
        return quoted(f"{function} {self.tree.replies.number(span)},{self.tree.replies.number(span * 1e-6)}")

    def _set_range(self, call: Call, function: str) -> None:
        ranged = self._function_of(function)
        requested = call.number(0)
        self.settings[f"{function}/range"] = ranged.span(requested, requested).full_scale if ranged else requested
        self.settings[f"{function}/auto"] = False

    commands: ClassVar[CommandTree[SimulatedAgilent34410A]] = CommandTree(
        [
            *ieee488_commands(),
            *error_queries(),
            STATUS_PRESET,
            *_function_commands(_configure, _measure, _set_range),
            Setting("[:SENSe]:FUNCtion[:ON]", "function", QuotedChoice(_HEADERS, full=False), "VOLT"),
            Command(":CONFigure?", _configuration),
            Command(":READ?", _read),
            Command(":INITiate[:IMMediate]", _initiate),
            Command(":FETCh?", _fetch),
            Setting(":SAMPle:COUNt", "samples", _SAMPLES, 1.0),
            Setting(":TRIGger:COUNt", "triggers", _SAMPLES, 1.0),
            Setting(":TRIGger:SOURce", "trigger_source", Choice(("IMMediate", "BUS", "EXTernal", "INTernal")), "IMM"),
            Setting(":TRIGger:DELay", "trigger_delay_s", Numeric(0.0, 3600.0, unit="S"), 0.0),
        ]
    )

"""Simulated Agilent 33522B generator (two channels); channel 1's output drives the RC network on its fixture.

Its output is a voltage source behind 50 Ω (this unit's own value, drawn within ±2 % of the lab's table
:data:`instruments.accuracy.GENERATOR_OUTPUT`), with the amplitude off by the unit's error within ±1 % of the
setting ±1 mVpp. As on the real 33500, the levels set are what the *load setting* would see: with ``OUTP:LOAD 50``
(the power-on value) the open-circuit voltage is twice the setting; with ``OUTP:LOAD INF`` it is the setting; with
``OUTP:LOAD 1000``, (50 + 1000) / 1000 times it. The commands are the 33500 Series manual's, each channel's under
``[SOURce<1-2>:]`` and ``OUTPut<1-2>`` (channel 1 where the suffix or the node is left out).
"""

from __future__ import annotations

import math
from typing import ClassVar

from instruments.accuracy import GENERATOR_OUTPUT
from instruments.sim.clock import SimulatedClock
from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import SquareDrive
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import (
    DATA_OUT_OF_RANGE,
    ILLEGAL_PARAMETER_VALUE,
    STATUS_PRESET,
    Boolean,
    Call,
    Choice,
    Command,
    CommandTree,
    Name,
    Numeric,
    ReplyFormat,
    ScpiError,
    Setting,
    String,
    error_queries,
    ieee488_commands,
    nr3,
    quoted,
)

__all__ = ["SimulatedAgilent33500"]

_SOURCE = "[:SOURce<ch:1-2>]"
_SHAPES = ("SINusoid", "SQUare", "TRIangle", "RAMP", "PULSe", "PRBS", "NOISe", "ARB", "DC")
_LEVEL_V = Numeric(-5.0, 5.0, unit="V")
_BUILT_IN_ARB = "INT:\\BUILTIN\\EXP_RISE.ARB"
_ARB_POINTS = (8, 65_536)


def _check_arb_name(name: str) -> None:
    if not (name[:1].isalpha() and len(name) <= 12 and name.replace("_", "").isalnum()):
        raise ScpiError(ILLEGAL_PARAMETER_VALUE)


class SimulatedAgilent33500(SimulatedInstrument):
    """A 33522B (30 MHz, ±5 V into 50 Ω).

    Square and pulse on channel 1 drive the fixture as a square wave; DC and every other shape drive it with the
    offset only (the RC fixture is only ever driven by steps). Channel 2 is not cabled.
    """

    def __init__(
        self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int], *, clock: SimulatedClock | None = None
    ) -> None:
        super().__init__(spec, fixture, seed, clock=clock)
        tolerance = GENERATOR_OUTPUT.impedance_tolerance
        self.source_ohm = GENERATOR_OUTPUT.impedance_ohm * (1 + self.unit_errors.within("output impedance", tolerance))
        self.arbs: dict[str, tuple[float, ...]] = {}
        self.display_text = ""
        fixture.drive_source = self.drive

    def drive(self) -> SquareDrive:
        """Get the waveform at channel 1's connector now: open-circuit levels behind the unit's source resistance."""
        if not self.settings["output/1"]:
            return SquareDrive(low_v=0.0, high_v=0.0, period_s=0.0, source_ohm=self.source_ohm)
        low, high = self._open_circuit_levels()
        period_s = 1.0 / float(self.settings["frequency_hz/1"])
        shape = self.settings["shape/1"]
        if shape == "SQU":
            duty = float(self.settings["square_duty_percent/1"]) / 100
            return SquareDrive(low, high, period_s, duty, self.source_ohm)
        if shape == "PULS":
            duty = min(float(self.settings["pulse_width_s/1"]) / period_s, 0.9999)
            return SquareDrive(low, high, period_s, duty, self.source_ohm)
        offset = (low + high) / 2
        return SquareDrive(low_v=offset, high_v=offset, period_s=0.0, source_ohm=self.source_ohm)

    def _open_circuit_levels(self) -> tuple[float, float]:
        """The true low and high open-circuit voltages: the settings, scaled for the load setting, amplitude erring."""
        offset, amplitude = float(self.settings["offset_v/1"]), float(self.settings["amplitude_vpp/1"])
        amplitude = amplitude * (1 + self.unit_errors.within("amplitude gain", GENERATOR_OUTPUT.amplitude_of_setting))
        amplitude += self.unit_errors.within("amplitude offset", GENERATOR_OUTPUT.amplitude_v)
        # The 33500 scales its output so that the load it is told of sees the setting.
        load_ohm = float(self.settings["load_ohm/1"])
        to_open_circuit = 1.0 if math.isinf(load_ohm) else (GENERATOR_OUTPUT.impedance_ohm + load_ohm) / load_ohm
        return to_open_circuit * (offset - amplitude / 2), to_open_circuit * (offset + amplitude / 2)

    def levels(self, channel: int) -> tuple[float, float]:
        """Get a channel's low and high level settings, in V."""
        offset, amplitude = (
            float(self.settings[f"offset_v/{channel}"]),
            float(self.settings[f"amplitude_vpp/{channel}"]),
        )
        return offset - amplitude / 2, offset + amplitude / 2

    # -- handlers ----------------------------------------------------------------------------------

    def _set_level(self, call: Call, *, high: bool) -> None:
        """Set the high or low level, keeping the other, as the 33500 does."""
        channel = call.suffixes["ch"]
        low, top = self.levels(channel)
        low, top = (low, call.number(0)) if high else (call.number(0), top)
        if top - low < 1e-3:
            raise ScpiError(DATA_OUT_OF_RANGE)
        self.settings[f"amplitude_vpp/{channel}"] = top - low
        self.settings[f"offset_v/{channel}"] = (top + low) / 2

    def _set_high(self, call: Call) -> None:
        self._set_level(call, high=True)

    def _set_low(self, call: Call) -> None:
        self._set_level(call, high=False)

    def _high(self, call: Call) -> str:
        return self.tree.replies.number(self.levels(call.suffixes["ch"])[1])

    def _low(self, call: Call) -> str:
        return self.tree.replies.number(self.levels(call.suffixes["ch"])[0])

    def _set_period(self, call: Call) -> None:
        self.settings[f"frequency_hz/{call.suffixes['ch']}"] = 1.0 / call.number(0)

    def _period(self, call: Call) -> str:
        return self.tree.replies.number(1.0 / float(self.settings[f"frequency_hz/{call.suffixes['ch']}"]))

    def _set_pulse_duty(self, call: Call) -> None:
        channel = call.suffixes["ch"]
        period_s = 1.0 / float(self.settings[f"frequency_hz/{channel}"])
        self.settings[f"pulse_width_s/{channel}"] = period_s * call.number(0) / 100

    def _pulse_duty(self, call: Call) -> str:
        channel = call.suffixes["ch"]
        width_s, frequency_hz = (float(self.settings[f"{key}/{channel}"]) for key in ("pulse_width_s", "frequency_hz"))
        return self.tree.replies.number(100 * width_s * frequency_hz)

    def _select_arb(self, call: Call) -> None:
        name = str(call.arguments[0])
        if name.upper() not in self.arbs and name.upper() != _BUILT_IN_ARB:
            raise ScpiError((-785, "Specified arb waveform does not exist"))
        self.settings[f"arb/{call.suffixes['ch']}"] = name.upper()

    def _load_arb(self, call: Call, *, low: float, high: float, scale: float) -> None:
        name, values = str(call.arguments[0]).upper(), call.arguments[1:]
        points = [float(value) for value in values if isinstance(value, float)]
        if not _ARB_POINTS[0] <= len(points) <= _ARB_POINTS[1] or not all(low <= p <= high for p in points):
            raise ScpiError(DATA_OUT_OF_RANGE)
        if name in self.arbs:
            raise ScpiError((-786, "Arb waveform of same name already exists"))
        self.arbs[name] = tuple(p / scale for p in points)

    def _load_arb_values(self, call: Call) -> None:
        self._load_arb(call, low=-1.0, high=1.0, scale=1.0)

    def _load_arb_codes(self, call: Call) -> None:
        self._load_arb(call, low=-32767, high=32767, scale=32767)

    def _clear_arbs(self, call: Call) -> None:
        self.arbs.clear()

    def _show_text(self, call: Call) -> None:
        self.display_text = str(call.arguments[0])

    def _text(self, call: Call) -> str:
        return quoted(self.display_text)

    def _clear_text(self, call: Call) -> None:
        self.display_text = ""

    def _nothing(self, call: Call) -> None:
        """A command with no effect the bench can see (a beep, a trigger, phase alignment)."""

    commands: ClassVar[CommandTree[SimulatedAgilent33500]] = CommandTree(
        [
            *ieee488_commands(),
            *error_queries(),
            STATUS_PRESET,
            Setting(f"{_SOURCE}:FUNCtion", "shape/{ch}", Choice(_SHAPES), "SIN"),
            Setting(f"{_SOURCE}:FREQuency", "frequency_hz/{ch}", Numeric(1e-6, 30e6, unit="HZ", default=1e3), 1e3),
            Setting(
                f"{_SOURCE}:VOLTage[:AMPLitude]", "amplitude_vpp/{ch}", Numeric(1e-3, 10.0, unit="V", default=0.1), 0.1
            ),
            Setting(f"{_SOURCE}:VOLTage:OFFSet", "offset_v/{ch}", Numeric(-5.0, 5.0, unit="V", default=0.0), 0.0),
            Command(f"{_SOURCE}:VOLTage:HIGH", _set_high, (_LEVEL_V,)),
            Command(f"{_SOURCE}:VOLTage:HIGH?", _high),
            Command(f"{_SOURCE}:VOLTage:LOW", _set_low, (_LEVEL_V,)),
            Command(f"{_SOURCE}:VOLTage:LOW?", _low),
            Setting(f"{_SOURCE}:VOLTage:UNIT", "amplitude_unit/{ch}", Choice(("VPP", "VRMS", "DBM")), "VPP"),
            Setting(f"{_SOURCE}:PHASe", "phase_deg/{ch}", Numeric(-360.0, 360.0, unit="DEG", default=0.0), 0.0),
            Command(":PHASe:SYNChronize", _nothing),
            Setting(f"{_SOURCE}:FUNCtion:SQUare:DCYCle", "square_duty_percent/{ch}", Numeric(0.01, 99.99), 50.0),
            Setting(f"{_SOURCE}:FUNCtion:RAMP:SYMMetry", "ramp_symmetry_percent/{ch}", Numeric(0.0, 100.0), 100.0),
            Command(f"{_SOURCE}:FUNCtion:PULSe:PERiod", _set_period, (Numeric(33e-9, 1e6, unit="S"),)),
            Command(f"{_SOURCE}:FUNCtion:PULSe:PERiod?", _period),
            Setting(f"{_SOURCE}:FUNCtion:PULSe:HOLD", "pulse_hold/{ch}", Choice(("WIDTh", "DCYCle")), "WIDT"),
            Setting(f"{_SOURCE}:FUNCtion:PULSe:WIDTh", "pulse_width_s/{ch}", Numeric(16e-9, 1e6, unit="S"), 1e-4),
            Command(f"{_SOURCE}:FUNCtion:PULSe:DCYCle", _set_pulse_duty, (Numeric(0.0, 100.0),)),
            Command(f"{_SOURCE}:FUNCtion:PULSe:DCYCle?", _pulse_duty),
            Setting(
                f"{_SOURCE}:FUNCtion:PULSe:TRANsition[:BOTH]",
                "pulse_edge_s/{ch}",
                Numeric(8.4e-9, 1e-6, unit="S"),
                1e-8,
            ),
            Setting(":OUTPut<ch:1-2>[:STATe]", "output/{ch}", Boolean(), False),
            Setting(
                ":OUTPut<ch:1-2>:LOAD",
                "load_ohm/{ch}",
                Numeric(1.0, 10e3, unit="OHM", default=50.0, keywords={"INFinity": math.inf}),
                50.0,
            ),
            Setting(":OUTPut:TRIGger[:STATe]", "trigger_out", Boolean(), False),
            Setting(f"{_SOURCE}:BURSt:STATe", "burst/{ch}", Boolean(), False),
            Setting(f"{_SOURCE}:BURSt:MODE", "burst_mode/{ch}", Choice(("TRIGgered", "GATed")), "TRIG"),
            Setting(f"{_SOURCE}:BURSt:INTernal:PERiod", "burst_period_s/{ch}", Numeric(1e-6, 8000.0, unit="S"), 0.01),
            Setting(
                f"{_SOURCE}:BURSt:NCYCles",
                "burst_cycles/{ch}",
                Numeric(1, 100_000_000, integer=True, keywords={"INFinity": math.inf}),
                1,
            ),
            Setting(f"{_SOURCE}:FUNCtion:ARBitrary", "arb/{ch}", Name(), _BUILT_IN_ARB, query_only=True),
            Command(f"{_SOURCE}:FUNCtion:ARBitrary", _select_arb, (Name(),)),
            Setting(f"{_SOURCE}:FUNCtion:ARBitrary:ADVance", "arb_advance/{ch}", Choice(("TRIGger", "SRATe")), "SRAT"),
            Setting(
                f"{_SOURCE}:FUNCtion:ARBitrary:FILTer", "arb_filter/{ch}", Choice(("NORMal", "STEP", "OFF")), "STEP"
            ),
            Setting(f"{_SOURCE}:FUNCtion:ARBitrary:SRATe", "arb_rate_sa_s/{ch}", Numeric(1e-6, 250e6), 40e3),
            Command(f"{_SOURCE}:DATA:VOLatile:CLEar", _clear_arbs),
            Command(f"{_SOURCE}:DATA:ARBitrary", _load_arb_values, (Name(check=_check_arb_name), Numeric(-1, 1)), True),
            Command(
                f"{_SOURCE}:DATA:ARBitrary:DAC",
                _load_arb_codes,
                (Name(check=_check_arb_name), Numeric(-32767, 32767, integer=True)),
                True,
            ),
            Setting(
                ":TRIGger<ch:1-2>:SOURce",
                "trigger_source/{ch}",
                Choice(("IMMediate", "EXTernal", "TIMer", "BUS")),
                "IMM",
            ),
            Command(":DISPlay:TEXT[:DATA]", _show_text, (String(),)),
            Command(":DISPlay:TEXT[:DATA]?", _text),
            Command(":DISPlay:TEXT:CLEar", _clear_text),
            Command(":SYSTem:BEEPer[:IMMediate]", _nothing),
            Command("*TRG", _nothing),
            Command(":TRIGger<ch:1-2>[:IMMediate]", _nothing),
        ],
        replies=ReplyFormat(number=nr3(15)),
    )

"""Simulated Keysight DSOX3024T: channel 1 sees the RC network's output, channel 2 the generator.

A record is computed when first asked for after an acquisition (``:DIGitize``, ``:SINGle``, ``:RUN``) and kept,
with its definite-length block (``#8`` and 8 length digits, as InfiniiVision scopes send it) built once, so a
transfer is one write of a prepared ``bytes`` object. Noise is drawn from a generator seeded by (bench seed,
instrument, acquisition, channel): the same acquisition reads the same every time.

The unit errs within the lab's table (:data:`instruments.accuracy.SCOPE_VERTICAL`, ``SCOPE_INPUT``): each
channel's input is its own 1 MΩ ∥ 14 pF within tolerance (or 50 Ω with ``:CHAN<n>:IMP FIFT``) and loads the
circuit it probes; on each vertical range (the 1-2-5 step at or above the V/div) the channel drew a gain error (at
most 2 % of full scale at full scale: 2 % of the signal about the screen's centre) and an offset error within its
offset accuracy; its noise is ``noise_divisions`` × V/div rms; the time base runs off by the unit's error within
its ppm figure. AC coupling removes the record's mean; an inverted channel reads the negated signal.

Acquisitions take the time the hardware takes and need a trigger (:mod:`instruments.sim.models.scope_trigger`):
``:DIGitize`` blocks the scope until its acquisition is complete, as the programmer's guide lists it among the
sequential (blocking) commands, so with ``:TRIGger:SWEep NORMal`` and no signal crossing the level it never completes
and ``*OPC?`` after it never answers (a device clear, i.e. the client reopening its connection, ends it); ``:SINGle``
and ``:RUN`` arm and return at once: ``*OPC?`` waits for the acquisition, ``:TER?`` answers 1 once it triggered.
A record holds at most the memory depth (:meth:`SimulatedDSOX3024T.memory_depth`): a larger ``:WAVeform:POINts`` is
clamped, as the scope transfers only the points it has.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from instruments.accuracy import SCOPE_INPUT, SCOPE_VERTICAL
from instruments.sim.clock import SimulatedClock
from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import InCircuitStep, RCNetwork, SquareDrive
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.models.keysight_dsox3024t_commands import SCOPE_DEFAULTS, scope_commands
from instruments.sim.models.scope_record import FORMAT_CODES, ScopeRecord, waveform_block
from instruments.sim.models.scope_trigger import TriggerSpec, acquisition_s, crossing_phase_s, samples_of_one_period
from instruments.sim.scpi import Call, CommandTree, Reply

__all__ = ["ScopeRecord", "SimulatedDSOX3024T"]

_SCREEN_DIVISIONS_Y = 8
_SCREEN_DIVISIONS_X = 10
_ASCII_MAX_POINTS = 1_000_000
_FIFTY_OHM = 50.0
# Where the time reference sits, in divisions from the left edge.
_REFERENCE_DIVISIONS = {"LEFT": 1.0, "CENT": 5.0, "RIGH": 9.0}
_ACQUISITION_TYPES = {"NORM": 0, "PEAK": 1, "AVER": 2, "HRES": 3}
# How often an acquisition waiting for a trigger looks at its source again, in wall seconds.
_TRIGGER_POLL_WALL_S = 0.005
_LINE_PERIOD_S = 1 / 60  # the lab's mains, Korea's 60 Hz: what the LINE trigger source sees
# Channels sharing an ADC pair: with both of a pair on, each gets half the memory.
_CHANNEL_PAIRS = ((1, 2), (3, 4))


class SimulatedDSOX3024T(SimulatedInstrument):
    """A DSOX3024T with ``WORD``/``BYTE``/``ASCii`` transfers of up to ``max_points`` (option, 4 M)."""

    #: Set while an acquisition is armed (``:SINGle``, ``:RUN``): when it completes on the bench's clock, in s.
    pending_until_s: float | None

    def __init__(
        self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int], *, clock: SimulatedClock | None = None
    ) -> None:
        super().__init__(spec, fixture, seed, clock=clock)
        self.max_points = int(spec.options.get("max_points", 4_000_000))
        self.acquisitions = 0
        self.pending_until_s = None
        self.trigger_event = False
        self.last_record: ScopeRecord | None = None
        self._prepared: tuple[tuple[object, ...], ScopeRecord, bytes] | None = None
        self.timebase_error = self.unit_errors.within("time base", SCOPE_VERTICAL.timebase)

    def input_ohm(self, channel: int) -> float:
        """Get the true resistance of a channel's input (1 MΩ, or 50 Ω if so set), in Ω."""
        if self.settings[f"impedance/{channel}"] == "FIFT":
            return _FIFTY_OHM
        tolerance = SCOPE_INPUT.resistance_tolerance
        return SCOPE_INPUT.resistance_ohm * (1 + self.unit_errors.within(f"CHAN{channel} input resistance", tolerance))

    def input_f(self, channel: int) -> float:
        """Get the true capacitance of a channel's input, in F."""
        tolerance = SCOPE_INPUT.capacitance_tolerance
        return SCOPE_INPUT.capacitance_f * (1 + self.unit_errors.within(f"CHAN{channel} input capacitance", tolerance))

    def circuit(self) -> InCircuitStep | None:
        """Get the fixture's RC network as channel 1 probes it, driven by the generator now; None without one."""
        dut = self.fixture.dut
        if not isinstance(dut, RCNetwork):
            return None
        return dut.in_circuit(self.fixture.drive(), input_ohm=self.input_ohm(1), input_f=self.input_f(1))

    # -- acquisitions and transfers ------------------------------------------------------------------

    def reset(self) -> None:
        """``*RST``, ``:SYSTem:PRESet``: settings to their defaults; an armed acquisition is abandoned."""
        super().reset()
        self.pending_until_s = None
        self.trigger_event = False

    def digitize(self, call: Call) -> None:
        """``:DIGitize``: take one acquisition and return once it is complete (never, if nothing triggers it)."""
        self.pending_until_s = self.clock.now_s() + self._acquisition_s()
        self.operations_complete()

    def arm(self, call: Call) -> None:
        """``:SINGle`` or ``:RUN``: arm an acquisition and return; it completes on the bench's clock."""
        self.pending_until_s = self.clock.now_s() + self._acquisition_s()

    def stop(self, call: Call) -> None:
        """``:STOP``: an armed acquisition that has not completed is abandoned."""
        self._settle()
        self.pending_until_s = None

    def operations_complete(self) -> bool:
        """Wait for the armed acquisition (``*OPC?``, ``*OPC``, ``*WAI``); False if a device clear ended the wait.

        An acquisition waiting for a trigger looks at its source again every few ms, so a signal that arrives (a
        generator switched on by another connection) triggers it, as on the instrument.
        """
        while self.pending_until_s is not None:
            self._settle()
            if self.pending_until_s is None:
                break
            poll_s = _TRIGGER_POLL_WALL_S / self.clock.time_scale
            if not self.work(min(self.pending_until_s - self.clock.now_s(), poll_s)):
                self.pending_until_s = None  # a device clear aborts the acquisition
                return False
        return True

    def trigger_event_register(self, call: Call) -> Reply:
        """``:TER?``: 1 if an acquisition triggered since the last read, which clears it."""
        self._settle()
        triggered, self.trigger_event = self.trigger_event, False
        return self.tree.replies.integer(int(triggered))

    def memory_depth(self) -> int:
        """Get the points a record holds at most: ``max_points`` (4 M, the 3000T data sheet's standard memory), half
        of it when both channels of an ADC pair (1 and 2, or 3 and 4) are on."""
        shared = any(all(self.settings[f"display/{n}"] for n in pair) for pair in _CHANNEL_PAIRS)
        return self.max_points // 2 if shared else self.max_points

    def record_points(self) -> int:
        """Get the points the next transfer holds: those asked for (``:WAVeform:POINts``) up to the memory depth."""
        return min(int(float(self.settings["waveform_points"])), self.memory_depth())

    def _settle(self) -> None:
        """Trigger an acquisition waiting for a signal that has come; complete the armed one if its time has come."""
        if self.pending_until_s is None:
            return
        now_s = self.clock.now_s()
        if math.isinf(self.pending_until_s):
            self.pending_until_s = now_s + self._acquisition_s()
        if now_s >= self.pending_until_s:
            self.pending_until_s = None
            self.acquisitions += 1
            self.trigger_event = self.trigger_event or self._trigger_crossing() is not None

    def _trigger(self) -> TriggerSpec:
        s = self.settings
        return TriggerSpec(float(s["trigger_level_v"]), str(s["trigger_slope"]), str(s["trigger_sweep"]))

    def _acquisition_s(self) -> float:
        return acquisition_s(
            self.clock.now_s(),
            scale_s=float(self.settings["timebase_scale_s"]),
            reference_divisions=_REFERENCE_DIVISIONS[str(self.settings["timebase_reference"])],
            trigger=self._trigger(),
            crossing=self._trigger_crossing(),
        )

    def _trigger_crossing(self) -> tuple[float, float] | None:
        """The trigger's phase in its source's period and that period, in s; None if the source never triggers."""
        source = str(self.settings["trigger_source"])
        if source == "LINE":
            return 0.0, _LINE_PERIOD_S
        if not source.startswith("CHAN"):
            return None  # EXTernal and WGEN: nothing is simulated behind them
        channel = int(source.removeprefix("CHAN"))
        period_s = self.fixture.drive().period_s
        if period_s <= 0:
            return None
        volts = self._input_stage(channel, self._signal(channel, samples_of_one_period(period_s))[0])
        phase_s = crossing_phase_s(volts, period_s, self._trigger())
        return None if phase_s is None else (phase_s, period_s)

    def preamble(self, call: Call) -> Reply:
        """``:WAVeform:PREamble?``."""
        record = self._prepare()[0]
        acquisition_type = _ACQUISITION_TYPES[str(self.settings["acquire_type"])]
        unsigned = bool(self.settings["waveform_unsigned"])
        return record.preamble(self._format_code(), acquisition_type, unsigned=unsigned)

    def data(self, call: Call) -> Reply:
        """``:WAVeform:DATA?``."""
        return self._prepare()[1]

    def _format_code(self) -> int:
        return FORMAT_CODES[str(self.settings["waveform_format"])]

    def _prepare(self) -> tuple[ScopeRecord, bytes]:
        """Get the record for the current transfer settings and its block, built once."""
        self._settle()
        names = ("waveform_source", "waveform_format", "waveform_byte_order", "waveform_unsigned", "waveform_points")
        key = (self.acquisitions, self.record_points(), *(self.settings[name] for name in names))
        if self._prepared is None or self._prepared[0] != key:
            record = self._record()
            block = waveform_block(
                record,
                str(self.settings["waveform_format"]),
                little_endian=self.settings["waveform_byte_order"] == "LSBF",
                unsigned=bool(self.settings["waveform_unsigned"]),
            )
            self._prepared = (key, record, block)
            self.last_record = record
        return self._prepared[1], self._prepared[2]

    def _record(self) -> ScopeRecord:
        source = str(self.settings["waveform_source"])
        channel = int(source.removeprefix("CHAN"))
        points = self.record_points()
        if self.settings["waveform_format"] == "ASC":
            points = min(points, _ASCII_MAX_POINTS)
        scale_s = float(self.settings["timebase_scale_s"])
        x_increment = _SCREEN_DIVISIONS_X * scale_s / points
        reference = _REFERENCE_DIVISIONS[str(self.settings["timebase_reference"])]
        x_origin = float(self.settings["timebase_position_s"]) - reference * scale_s
        times = x_origin + np.arange(points, dtype=np.float64) * x_increment
        volts, noise_v = self._signal(channel, times * (1 + self.timebase_error))
        volts = self._input_stage(channel, volts)
        volts_per_division = float(self.settings[f"scale_v/{channel}"])
        y_origin = float(self.settings[f"offset_v/{channel}"])
        volts = self._vertical(channel, volts, volts_per_division, y_origin)
        noise_v = math.hypot(noise_v, SCOPE_VERTICAL.noise_divisions * volts_per_division)
        rng = np.random.default_rng([*self.seed, self.acquisitions, channel])
        volts += rng.normal(0.0, noise_v, points)
        word = self.settings["waveform_format"] != "BYTE"
        dtype: np.dtype[np.signedinteger] = np.dtype(np.int16) if word else np.dtype(np.int8)
        levels = 65536 if word else 256
        y_increment = _SCREEN_DIVISIONS_Y * volts_per_division / levels
        limits = np.iinfo(dtype)
        codes = np.rint((volts - y_origin) / y_increment)
        raw: npt.NDArray[np.signedinteger] = np.clip(codes, limits.min, limits.max, out=codes).astype(dtype)
        return ScopeRecord(source, raw, y_increment, y_origin, 0, x_increment, x_origin)

    def _input_stage(self, channel: int, volts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """AC coupling (the record's mean removed) and inversion."""
        if self.settings[f"coupling/{channel}"] == "AC":
            volts = volts - volts.mean()
        return -volts if self.settings[f"invert/{channel}"] else volts

    def _vertical(
        self, channel: int, volts: npt.NDArray[np.float64], volts_per_division: float, offset_v: float
    ) -> npt.NDArray[np.float64]:
        """The channel's gain and offset errors on its current range, applied to the true volts."""
        step = f"CHAN{channel} {_vertical_step(volts_per_division):g} V/div"
        gain = self.unit_errors.within(f"{step} gain", SCOPE_VERTICAL.gain_of_full_scale)
        offset_error = self.unit_errors.within(
            f"{step} offset", SCOPE_VERTICAL.offset_half_width(volts_per_division, offset_v)
        )
        return (volts - offset_v) * (1 + gain) + offset_v + offset_error

    def _signal(self, channel: int, times: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], float]:
        """Get the true volts at the channel's input and the noise the fixture adds, in V.

        Channel 1 probes the network's capacitor, channel 2 the generator's output connector (where the source
        resistance and the network's current set the level; channel 2's own input is not counted as a load).
        """
        dut = self.fixture.dut
        drive = self.fixture.drive()
        network = dut if isinstance(dut, RCNetwork) else None
        if channel not in {1, 2} or (channel == 1 and network is None):
            return np.zeros_like(times), 0.0
        if network is None:
            return _square(drive, times) * self.input_ohm(2) / (self.input_ohm(2) + drive.source_ohm), 0.0
        across_c = network.response_v(drive, times, input_ohm=self.input_ohm(1), input_f=self.input_f(1))
        if channel == 1:
            return across_c, network.noise_v
        r, rs = network.resistance_ohm, drive.source_ohm
        return (r * _square(drive, times) + rs * across_c) / (r + rs), 0.0

    commands: ClassVar[CommandTree[SimulatedDSOX3024T]] = CommandTree(scope_commands(), defaults=SCOPE_DEFAULTS)


def _vertical_step(volts_per_division: float) -> float:
    """The 1-2-5 step at or above ``volts_per_division``: the attenuator and gain setting the scope uses."""
    decade = 10.0 ** math.floor(math.log10(volts_per_division))
    mantissa = volts_per_division / decade
    return decade * next(step for step in (1.0, 2.0, 5.0, 10.0) if mantissa <= step * (1 + 1e-9))


def _square(drive: SquareDrive, times: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    if drive.period_s <= 0.0:
        return np.full(times.shape, drive.high_v)
    high = np.mod(times, drive.period_s) < drive.duty * drive.period_s
    return np.where(high, drive.high_v, drive.low_v)

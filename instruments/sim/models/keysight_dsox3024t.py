"""Simulated Keysight DSOX3024T: channel 1 sees the RC network's output, channel 2 the generator.

A record is computed when first asked for after ``:DIG`` and kept, with its definite-length block
built once, so a transfer is one write of a prepared ``bytes`` object. Noise is drawn from a
generator seeded by (bench seed, instrument, acquisition, channel): the same acquisition reads the
same every time.

The unit errs within the lab's table (:data:`instruments.accuracy.SCOPE_VERTICAL`, ``SCOPE_INPUT``): each
channel's input is its own 1 MΩ ∥ 14 pF within tolerance and loads the circuit it probes; on each vertical
range (the 1-2-5 step at or above the V/div) the channel drew a gain error (at most 2 % of full scale at full
scale: 2 % of the signal about the screen's centre) and an offset error within its offset accuracy; its noise is
``noise_divisions`` × V/div rms; the time base runs off by the unit's error within its ppm figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from instruments.accuracy import SCOPE_INPUT, SCOPE_VERTICAL
from instruments.sim.config import InstrumentSpec
from instruments.sim.duts import InCircuitStep, RCNetwork, SquareDrive
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.scpi import ILLEGAL_PARAMETER, ScpiError

__all__ = ["ScopeRecord", "SimulatedDSOX3024T"]

_CHANNELS = ("CHAN1", "CHAN2", "CHAN3", "CHAN4")
_FORMAT_CODES = {"BYTE": 0, "WORD": 1, "ASC": 4}
_SCREEN_DIVISIONS_Y = 8
_SCREEN_DIVISIONS_X = 10
_ASCII_MAX_POINTS = 1_000_000


@dataclass(frozen=True, slots=True)
class ScopeRecord:
    """The record the scope last prepared for transfer, as tests compare it to what arrived.

    Volts are ``(raw - y_reference) * y_increment_v + y_origin_v``.
    """

    source: str
    raw: npt.NDArray[np.signedinteger]
    y_increment_v: float
    y_origin_v: float
    y_reference: int
    x_increment_s: float
    x_origin_s: float

    def preamble(self, format_code: int) -> str:
        """Get the ``:WAV:PRE?`` reply for this record."""
        return (
            f"{format_code:+d},+0,{self.raw.size:+d},+1,{self.x_increment_s:+.12E},{self.x_origin_s:+.12E},"
            f"+0,{self.y_increment_v:+.12E},{self.y_origin_v:+.12E},{self.y_reference:+d}"
        )


class SimulatedDSOX3024T(SimulatedInstrument):
    """A DSOX3024T with ``WORD``/``BYTE``/``ASCii`` transfers of up to ``max_points`` (option, 4 M)."""

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec, fixture, seed)
        self.max_points = int(spec.options.get("max_points", 4_000_000))
        self.acquisitions = 0
        self.last_record: ScopeRecord | None = None
        self._prepared: tuple[tuple[object, ...], ScopeRecord, bytes] | None = None
        self._declare_settings()
        for header in (":DIG", ":SING", ":RUN", ":STOP"):
            self.on(header, self._acquire)
        self.on(":WAV:PRE?", lambda _: self._prepare()[0].preamble(self._format_code()))
        self.on(":WAV:DATA?", lambda _: self._prepare()[1])
        self.timebase_error = self.unit_errors.within("time base", SCOPE_VERTICAL.timebase)

    def input_ohm(self, channel: int) -> float:
        """Get the true resistance of a channel's 1 MΩ input, in Ω."""
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

    def _declare_settings(self) -> None:
        self.number_setting(
            ":TIM:SCAL", writes=(":TIM:SCAL",), reads=(":TIM:SCAL?",), low=2e-9, high=50.0, default=1e-3
        )
        self.number_setting(":TIM:POS", writes=(":TIM:POS",), reads=(":TIM:POS?",), low=-500.0, high=500.0, default=0.0)
        for number in range(1, 5):
            channel = f":CHAN{number}"
            self.number_setting(
                f"{channel}:SCAL", writes=(f"{channel}:SCAL",), reads=(f"{channel}:SCAL?",), low=1e-3, high=5.0,
                default=1.0,
            )  # fmt: skip
            self.number_setting(
                f"{channel}:OFFS", writes=(f"{channel}:OFFS",), reads=(f"{channel}:OFFS?",), low=-40.0, high=40.0,
                default=0.0,
            )  # fmt: skip
            self.switch_setting(f"{channel}:DISP", f"{channel}:DISP", default=number == 1)
        self.choice_setting(":TRIG:EDGE:SOUR", ":TRIG:EDGE:SOUR", choices=(*_CHANNELS, "EXT"), default="CHAN1")
        self.number_setting(
            ":TRIG:EDGE:LEV", writes=(":TRIG:EDGE:LEV",), reads=(":TRIG:EDGE:LEV?",), low=-40.0, high=40.0,
            default=0.0,
        )  # fmt: skip
        self.choice_setting(":WAV:SOUR", ":WAV:SOUR", choices=_CHANNELS, default="CHAN1")
        self.choice_setting(":WAV:FORM", ":WAV:FORM", choices=tuple(_FORMAT_CODES), default="BYTE")
        self.choice_setting(":WAV:BYT", ":WAV:BYT", choices=("LSBF", "MSBF"), default="MSBF")
        self.choice_setting(":WAV:UNS", ":WAV:UNS", choices=("0",), default="0")
        self.choice_setting(":WAV:POIN:MODE", ":WAV:POIN:MODE", choices=("NORM", "MAX", "RAW"), default="NORM")
        self.number_setting(
            ":WAV:POIN", writes=(":WAV:POIN",), reads=(":WAV:POIN?",), low=100, high=self.max_points, default=1000
        )

    def _acquire(self, arguments: list[str]) -> None:
        if arguments and arguments[0].upper() not in {*_CHANNELS, *(f"CHANNEL{n}" for n in range(1, 5))}:
            raise ScpiError(ILLEGAL_PARAMETER)
        self.acquisitions += 1

    def _format_code(self) -> int:
        return _FORMAT_CODES[str(self.settings[":WAV:FORM"])]

    def _prepare(self) -> tuple[ScopeRecord, bytes]:
        """Get the record for the current transfer settings and its block, built once."""
        key = (
            self.acquisitions,
            *(self.settings[name] for name in (":WAV:SOUR", ":WAV:FORM", ":WAV:BYT", ":WAV:POIN")),
        )
        if self._prepared is None or self._prepared[0] != key:
            record = self._record()
            self._prepared = (key, record, _block(record, str(self.settings[":WAV:FORM"]), self.settings))
            self.last_record = record
        return self._prepared[1], self._prepared[2]

    def _record(self) -> ScopeRecord:
        source = str(self.settings[":WAV:SOUR"])
        channel = _CHANNELS.index(source) + 1
        points = int(float(self.settings[":WAV:POIN"]))
        if self.settings[":WAV:FORM"] == "ASC":
            points = min(points, _ASCII_MAX_POINTS)
        scale_s = float(self.settings[":TIM:SCAL"])
        x_increment = _SCREEN_DIVISIONS_X * scale_s / points
        x_origin = float(self.settings[":TIM:POS"]) - _SCREEN_DIVISIONS_X / 2 * scale_s
        times = x_origin + np.arange(points, dtype=np.float64) * x_increment
        volts, noise_v = self._signal(channel, times * (1 + self.timebase_error))
        volts_per_division = float(self.settings[f":CHAN{channel}:SCAL"])
        y_origin = float(self.settings[f":CHAN{channel}:OFFS"])
        volts = self._vertical(channel, volts, volts_per_division, y_origin)
        noise_v = math.hypot(noise_v, SCOPE_VERTICAL.noise_divisions * volts_per_division)
        rng = np.random.default_rng([*self.seed, self.acquisitions, channel])
        volts += rng.normal(0.0, noise_v, points)
        word = self.settings[":WAV:FORM"] != "BYTE"
        dtype: np.dtype[np.signedinteger] = np.dtype(np.int16) if word else np.dtype(np.int8)
        levels = 65536 if word else 256
        y_increment = _SCREEN_DIVISIONS_Y * volts_per_division / levels
        limits = np.iinfo(dtype)
        codes = np.rint((volts - y_origin) / y_increment)
        raw: npt.NDArray[np.signedinteger] = np.clip(codes, limits.min, limits.max, out=codes).astype(dtype)
        return ScopeRecord(source, raw, y_increment, y_origin, 0, x_increment, x_origin)

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


def _block(record: ScopeRecord, data_format: str, settings: dict[str, float | str | bool]) -> bytes:
    """Build the ``:WAV:DATA?`` reply: ``#<n><length><payload>`` (the server adds the newline)."""
    if data_format == "ASC":
        volts = (record.raw.astype(np.float64) - record.y_reference) * record.y_increment_v + record.y_origin_v
        payload = ",".join(f"{value:+.6E}" for value in volts.tolist()).encode("ascii")
    elif data_format == "WORD":
        order = "<" if settings[":WAV:BYT"] == "LSBF" else ">"
        payload = record.raw.astype(f"{order}i2", copy=False).tobytes()
    else:
        payload = record.raw.tobytes()
    length = str(len(payload))
    return f"#{len(length)}{length}".encode("ascii") + payload

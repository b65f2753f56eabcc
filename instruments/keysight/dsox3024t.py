"""Keysight InfiniiVision DSOX3024T oscilloscope (4 channels, 200 MHz, up to 4 Mpts a record).

Waveforms come as IEEE 488.2 definite-length blocks of signed 16-bit (``WORD``) or 8-bit (``BYTE``)
ADC codes with a ten-field preamble, as the scope sends them. PyMeasure's ``binary_values`` reads a
block byte by byte (10 k points took 1.4 s), and pyvisa's ``query_binary_values`` stops at every
newline byte inside the payload (36 MB/s on 8 MB); :mod:`instruments.block_transfer` reads it whole
(``read_waveform``) or hands it on block by block as it arrives (``stream_waveform``), near socket speed (see
``benchmarks/visa_waveform.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from pymeasure.instruments import Channel, Instrument, SCPIMixin
from pymeasure.instruments.validators import strict_discrete_set, strict_range

from instruments.block_transfer import read_block, stream_block
from instruments.errors import InstrumentProtocolError
from instruments.keysight.waveform import Waveform, parse_preamble

__all__ = ["BLOCK_POINTS", "MAX_RECORD_POINTS", "KeysightDSOX3024T", "ScopeChannel", "Waveform"]

MAX_RECORD_POINTS = 4_000_000
#: Points a block of :meth:`KeysightDSOX3024T.stream_waveform`: 1 MiB of WORD codes.
BLOCK_POINTS = 1 << 19
# (preamble format code, byte order) -> dtype of one ADC code; format 1 is WORD, 0 is BYTE.
_DTYPES: dict[tuple[int, str], np.dtype[np.signedinteger]] = {
    (1, "LSBF"): np.dtype("<i2"),
    (1, "MSBF"): np.dtype(">i2"),
    (0, "LSBF"): np.dtype("i1"),
    (0, "MSBF"): np.dtype("i1"),
}


class ScopeChannel(Channel):  # type: ignore[misc]  # pymeasure is untyped
    """One analog input of the scope."""

    scale = Channel.control(
        ":CHAN{ch}:SCAL?",
        ":CHAN{ch}:SCAL %g",
        """Control the vertical scale in V/div (1e-3 to 5); the screen is 8 divisions high.""",
        validator=strict_range,
        values=[1e-3, 5],
    )

    offset = Channel.control(
        ":CHAN{ch}:OFFS?",
        ":CHAN{ch}:OFFS %g",
        """Control the voltage at the centre of the screen in V (-40 to 40).""",
        validator=strict_range,
        values=[-40, 40],
    )

    display = Channel.control(
        ":CHAN{ch}:DISP?",
        ":CHAN{ch}:DISP %d",
        """Control whether the channel is acquired and shown (bool).""",
        validator=strict_discrete_set,
        values={True: 1, False: 0},
        map_values=True,
    )


class KeysightDSOX3024T(SCPIMixin, Instrument):  # type: ignore[misc]  # pymeasure is untyped
    """Keysight DSOX3024T oscilloscope.

    .. code-block:: python

        scope.timebase_scale = 1e-4             # 100 µs/div, 10 divisions
        scope.ch_1.scale = 0.5                  # 0.5 V/div
        scope.configure_waveform_transfer(channel=1, points=2_000_000)
        scope.acquire(channel=1)
        record = scope.read_waveform()          # raw int16 codes with scale and offset

    Args:
        adapter: A VISA resource string or a PyMeasure adapter.
        name: The name used in PyMeasure's log.
        **kwargs: Passed to :class:`pymeasure.instruments.Instrument`.
    """

    ch_1 = Instrument.ChannelCreator(ScopeChannel, 1)
    ch_2 = Instrument.ChannelCreator(ScopeChannel, 2)
    ch_3 = Instrument.ChannelCreator(ScopeChannel, 3)
    ch_4 = Instrument.ChannelCreator(ScopeChannel, 4)

    #: The reply timeout of PyMeasure's InfiniiVision driver (``KeysightDSOX1102G``), in ms: the scope takes seconds
    #: to apply a new timebase or record length before it answers.
    TIMEOUT_MS = 6000

    def __init__(self, adapter: Any, name: str = "Keysight DSOX3024T Oscilloscope", **kwargs: Any) -> None:
        super().__init__(adapter, name, **kwargs)

    timebase_scale = Instrument.control(
        ":TIM:SCAL?",
        ":TIM:SCAL %g",
        """Control the horizontal scale in s/div (2e-9 to 50); the screen is 10 divisions wide.""",
        validator=strict_range,
        values=[2e-9, 50],
    )

    timebase_position = Instrument.control(
        ":TIM:POS?",
        ":TIM:POS %g",
        """Control the time from the trigger to the screen centre in s (-500 to 500).""",
        validator=strict_range,
        values=[-500, 500],
    )

    trigger_source = Instrument.control(
        ":TRIG:EDGE:SOUR?",
        ":TRIG:EDGE:SOUR %s",
        """Control the edge trigger source (``CHAN1`` to ``CHAN4``, ``EXT``).""",
        validator=strict_discrete_set,
        values=["CHAN1", "CHAN2", "CHAN3", "CHAN4", "EXT"],
    )

    trigger_level = Instrument.control(
        ":TRIG:EDGE:LEV?",
        ":TRIG:EDGE:LEV %g",
        """Control the edge trigger level in V (-40 to 40).""",
        validator=strict_range,
        values=[-40, 40],
    )

    trigger_slope = Instrument.control(
        ":TRIG:EDGE:SLOP?",
        ":TRIG:EDGE:SLOP %s",
        """Control which edge triggers: ``POS`` (rising), ``NEG`` (falling), ``EITH`` or ``ALT``.""",
        validator=strict_discrete_set,
        values=["POS", "NEG", "EITH", "ALT"],
    )

    trigger_sweep = Instrument.control(
        ":TRIG:SWE?",
        ":TRIG:SWE %s",
        """Control what an acquisition does without a trigger: ``AUTO`` (the power-on setting) triggers itself after
        a while, ``NORM`` waits for a real trigger (``acquire`` then times out if none comes).""",
        validator=strict_discrete_set,
        values=["AUTO", "NORM"],
    )

    waveform_source = Instrument.control(
        ":WAV:SOUR?",
        ":WAV:SOUR %s",
        """Control which channel ``read_waveform`` transfers (``CHAN1`` to ``CHAN4``).""",
        validator=strict_discrete_set,
        values=["CHAN1", "CHAN2", "CHAN3", "CHAN4"],
    )

    waveform_format = Instrument.control(
        ":WAV:FORM?",
        ":WAV:FORM %s",
        """Control the transfer format: ``WORD`` (16-bit codes) or ``BYTE`` (8-bit codes).""",
        validator=strict_discrete_set,
        values=["WORD", "BYTE"],
    )

    waveform_byte_order = Instrument.control(
        ":WAV:BYT?",
        ":WAV:BYT %s",
        """Control the byte order of ``WORD`` transfers: ``LSBF`` or ``MSBF``.""",
        validator=strict_discrete_set,
        values=["LSBF", "MSBF"],
    )

    waveform_unsigned = Instrument.control(
        ":WAV:UNS?",
        ":WAV:UNS %d",
        """Control whether codes are unsigned (bool); this driver reads signed codes only.""",
        validator=strict_discrete_set,
        values={True: 1, False: 0},
        map_values=True,
    )

    waveform_points_mode = Instrument.control(
        ":WAV:POIN:MODE?",
        ":WAV:POIN:MODE %s",
        """Control which record is transferred: ``NORM`` (screen), ``MAX`` or ``RAW`` (acquisition).""",
        validator=strict_discrete_set,
        values=["NORM", "MAX", "RAW"],
    )

    waveform_points = Instrument.control(
        ":WAV:POIN?",
        ":WAV:POIN %d",
        """Control the number of points in a record (100 to 4,000,000).""",
        validator=strict_range,
        values=[100, MAX_RECORD_POINTS],
        cast=int,
    )

    def configure_waveform_transfer(self, *, channel: int, points: int, word: bool = True) -> None:
        """Set up ``read_waveform``: source, signed codes, little-endian, raw record of ``points``.

        Args:
            channel: Analog input 1 to 4.
            points: Points a record, 100 to 4,000,000.
            word: 16-bit codes if True, else 8-bit.
        """
        self.waveform_source = f"CHAN{channel}"
        self.waveform_format = "WORD" if word else "BYTE"
        self.waveform_byte_order = "LSBF"
        self.waveform_unsigned = False
        self.waveform_points_mode = "RAW"
        self.waveform_points = points

    def acquire(self, *, channel: int) -> None:
        """Take one triggered acquisition of ``channel`` (``:DIG``) and wait until it is complete.

        The scope takes at least the screen's span (10 × ``timebase_scale``) and waits for its trigger; in ``NORM``
        sweep with no signal crossing the trigger level, no reply comes and the read times out.
        """
        strict_range(channel, [1, 4])
        self.write(f":DIG CHAN{channel}")
        self.ask("*OPC?")

    def read_waveform(self) -> Waveform:
        """Get the record of ``waveform_source`` as raw ADC codes with its preamble, whole.

        Raises:
            InstrumentProtocolError: The preamble or the block is malformed, or disagree.
            InstrumentDisconnected: The block broke off before its last byte.
        """
        record, dtype = self._preamble()
        payload = read_block(self, ":WAV:DATA?")
        if len(payload) != record.points * dtype.itemsize:
            raise InstrumentProtocolError(f"block holds {len(payload)} bytes, preamble promises {record.points} points")
        return replace(record.scaling, raw=_codes(payload, dtype))

    def stream_waveform(self, consume: Callable[[Waveform], None], *, block_points: int = BLOCK_POINTS) -> int:
        """Transfer the record of ``waveform_source`` block by block, handing each block on as it arrives, so that
        no more than a block is held however long the record.

        Args:
            consume: Called with each block in order: a :class:`Waveform` whose ``raw`` holds the record's next
                ``block_points`` codes (fewer in the last block) and whose other fields are the record's (so
                ``x_origin_s`` is the time of the record's first point, not the block's).
            block_points: Points a block.

        Returns:
            The points transferred.

        Raises:
            InstrumentProtocolError: The preamble or the block is malformed, or disagree.
            InstrumentDisconnected: The block broke off before its last byte; blocks before it were handed on.
        """
        record, dtype = self._preamble()

        def hand_on(piece: bytes | bytearray) -> None:
            consume(replace(record.scaling, raw=_codes(memoryview(piece), dtype)))

        length = stream_block(self, ":WAV:DATA?", hand_on, piece_bytes=block_points * dtype.itemsize)
        if length != record.points * dtype.itemsize:
            raise InstrumentProtocolError(f"block held {length} bytes, preamble promised {record.points} points")
        return record.points

    def _preamble(self) -> tuple[_Record, np.dtype[np.signedinteger]]:
        """Read the record's preamble and byte order: its scaling and length, and the dtype of its codes."""
        # One message, one round trip: IEEE 488.2 joins the two replies with ";" (the preamble holds none).
        reply = str(self.ask(":WAV:PRE?;BYT?")).strip()
        preamble_text, joined, byte_order = reply.rpartition(";")
        if not joined:
            raise InstrumentProtocolError(f"the preamble and byte order came back as one reply: {reply[:80]!r}")
        preamble = parse_preamble(preamble_text)
        dtype = _DTYPES.get((preamble.format_code, byte_order))
        if dtype is None:
            raise InstrumentProtocolError(f"cannot read format {preamble.format_code} / {byte_order}")
        scaling = Waveform(
            raw=np.empty(0, dtype=dtype.newbyteorder("=")),
            y_increment_v=preamble.y_increment_v,
            y_origin_v=preamble.y_origin_v,
            y_reference=preamble.y_reference,
            x_increment_s=preamble.x_increment_s,
            x_origin_s=preamble.x_origin_s,
        )
        return _Record(scaling, preamble.points), dtype


@dataclass(frozen=True, slots=True)
class _Record:
    """What the preamble says of a record: its scaling (a waveform with no codes yet) and its length."""

    scaling: Waveform
    points: int


def _codes(payload: memoryview, dtype: np.dtype[np.signedinteger]) -> npt.NDArray[np.signedinteger]:
    """The codes in ``payload``, in the machine's byte order (no copy when it already is)."""
    return np.frombuffer(payload, dtype=dtype).astype(dtype.newbyteorder("="), copy=False)

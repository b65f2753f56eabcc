"""A scope record as the scope delivers it: raw ADC integers plus the preamble that scales them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from instruments.errors import InstrumentProtocolError

__all__ = ["Preamble", "Waveform", "parse_preamble"]


@dataclass(frozen=True, slots=True)
class Preamble:
    """The ``:WAVeform:PREamble?`` fields of a Keysight InfiniiVision scope.

    Volts are ``(raw - y_reference) * y_increment_v + y_origin_v``; the time of point ``i`` is
    ``x_origin_s + i * x_increment_s`` (trigger at 0 s).
    """

    format_code: int
    acquisition_type: int
    points: int
    count: int
    x_increment_s: float
    x_origin_s: float
    x_reference: int
    y_increment_v: float
    y_origin_v: float
    y_reference: int


@dataclass(frozen=True, slots=True)
class Waveform:
    """One channel's record: raw signed ADC codes and how to turn them into volts and seconds.

    Attributes:
        raw: The ADC codes exactly as received (``int16`` for WORD format, ``int8`` for BYTE).
        y_increment_v: Volts per ADC code.
        y_origin_v: Volts at ``y_reference``.
        y_reference: The ADC code that reads ``y_origin_v``.
        x_increment_s: Sample interval in s.
        x_origin_s: Time of the first point relative to the trigger, in s.
    """

    raw: npt.NDArray[np.signedinteger]
    y_increment_v: float
    y_origin_v: float
    y_reference: int
    x_increment_s: float
    x_origin_s: float

    @property
    def points(self) -> int:
        """Get the number of points in the record."""
        return int(self.raw.size)

    def volts(self) -> npt.NDArray[np.float64]:
        """Get the record in V (float64; 8 bytes a point, so keep ``raw`` for storage)."""
        return (self.raw.astype(np.float64) - self.y_reference) * self.y_increment_v + self.y_origin_v

    def times_s(self) -> npt.NDArray[np.float64]:
        """Get the time of each point relative to the trigger, in s."""
        return self.x_origin_s + np.arange(self.raw.size, dtype=np.float64) * self.x_increment_s


def parse_preamble(reply: str) -> Preamble:
    """Parse a ``:WAV:PRE?`` reply of ten comma-separated numbers.

    Raises:
        InstrumentProtocolError: The reply is not ten numbers.
    """
    fields = reply.strip().split(",")
    if len(fields) != 10:
        raise InstrumentProtocolError(f"preamble has {len(fields)} fields, not 10: {reply[:80]!r}")
    try:
        numbers = [float(field) for field in fields]
    except ValueError as exc:
        raise InstrumentProtocolError(f"preamble is not numeric: {reply[:80]!r}") from exc
    ints = [int(numbers[i]) for i in (0, 1, 2, 3, 6, 9)]
    return Preamble(
        format_code=ints[0],
        acquisition_type=ints[1],
        points=ints[2],
        count=ints[3],
        x_increment_s=numbers[4],
        x_origin_s=numbers[5],
        x_reference=ints[4],
        y_increment_v=numbers[7],
        y_origin_v=numbers[8],
        y_reference=ints[5],
    )

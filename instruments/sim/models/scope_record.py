"""What a simulated InfiniiVision scope transfers: a record of raw ADC codes, its preamble and its data block."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from instruments.sim.scpi import definite_block

__all__ = ["BLOCK_LENGTH_DIGITS", "FORMAT_CODES", "ScopeRecord", "waveform_block"]

#: Format name (short form) -> the preamble's format code.
FORMAT_CODES = {"BYTE": 0, "WORD": 1, "ASC": 4}
#: InfiniiVision scopes always send 8 length digits: ``#800001000`` for 1000 bytes.
BLOCK_LENGTH_DIGITS = 8


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

    def preamble(self, format_code: int, acquisition_type: int = 0, *, unsigned: bool = False) -> str:
        """Get the ``:WAV:PRE?`` reply for this record, sent as ``format_code`` (signed or ``unsigned`` codes)."""
        reference = self.y_reference + (_unsigned_offset(format_code) if unsigned else 0)
        return (
            f"{format_code:+d},{acquisition_type:+d},{self.raw.size:+d},+1,{self.x_increment_s:+.12E},"
            f"{self.x_origin_s:+.12E},+0,{self.y_increment_v:+.12E},{self.y_origin_v:+.12E},{reference:+d}"
        )

    def volts(self) -> npt.NDArray[np.float64]:
        """Get the record in V."""
        return (self.raw.astype(np.float64) - self.y_reference) * self.y_increment_v + self.y_origin_v


def _unsigned_offset(format_code: int) -> int:
    return {0: 128, 1: 32768}.get(format_code, 0)


def waveform_block(record: ScopeRecord, data_format: str, *, little_endian: bool, unsigned: bool) -> bytes:
    """Build the ``:WAV:DATA?`` reply: ``#8<length><payload>`` (the server adds the newline).

    ASCII values are written as the scope writes them, ``+1.23457E-01``, up to 13 bytes a point with the comma.
    """
    if data_format == "ASC":
        payload = ",".join(f"{value:+.5E}" for value in record.volts().tolist()).encode("ascii")
    else:
        codes: npt.NDArray[np.integer] = record.raw
        if unsigned:
            offset = _unsigned_offset(FORMAT_CODES[data_format])
            codes = (record.raw.astype(np.int32) + offset).astype(np.uint16 if data_format == "WORD" else np.uint8)
        if data_format == "WORD":
            codes = codes.astype(codes.dtype.newbyteorder("<" if little_endian else ">"), copy=False)
        payload = codes.tobytes()
    return definite_block(payload, digits=BLOCK_LENGTH_DIGITS)

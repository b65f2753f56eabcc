"""A simulated scope's screen image and saved setup, as ``:DISPlay:DATA?`` and ``:SYSTem:SETup?`` send them."""

from __future__ import annotations

import json
import struct
import zlib

__all__ = ["SETUP_MAGIC", "read_setup", "screen_png", "setup_blob"]

#: How a setup the simulated scope saved begins; a real InfiniiVision setup is binary as well.
SETUP_MAGIC = b"\x00\x9eIVSETUP\x01"
_WIDTH, _HEIGHT = 800, 480


def screen_png(*, grayscale: bool) -> bytes:
    """Get a PNG of the screen: a dark background with the 10 × 8 division graticule."""
    background, line = (32, 160) if grayscale else (16, 128)
    rows = bytearray()
    for y in range(_HEIGHT):
        on_row = y % (_HEIGHT // 8) == 0
        rows.append(0)  # filter: none
        rows.extend(line if on_row or x % (_WIDTH // 10) == 0 else background for x in range(_WIDTH))
    header = struct.pack(">IIBBBBB", _WIDTH, _HEIGHT, 8, 0, 0, 0, 0)  # 8-bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows)))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def setup_blob(settings: dict[str, float | bool | str]) -> bytes:
    """Get a saved setup holding ``settings``: binary, as the scope's own."""
    return SETUP_MAGIC + zlib.compress(json.dumps(settings, sort_keys=True).encode("utf-8"))


def read_setup(blob: bytes) -> dict[str, float | bool | str] | None:
    """Get the settings of a saved setup, or None if ``blob`` is not one."""
    if not blob.startswith(SETUP_MAGIC):
        return None
    try:
        loaded = json.loads(zlib.decompress(blob[len(SETUP_MAGIC) :]))
    except (zlib.error, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None

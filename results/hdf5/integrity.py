"""Streaming reads of a closed run file: its SHA-256 and its bytes for download."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

__all__ = ["DEFAULT_CHUNK_BYTES", "iter_file_chunks", "sha256_file"]

#: Read size for hashing and downloads: 1 MiB keeps memory flat and the disk busy.
DEFAULT_CHUNK_BYTES = 1 << 20


def iter_file_chunks(path: str | Path, chunk_size: int = DEFAULT_CHUNK_BYTES) -> Iterator[bytes]:
    """Yield the file's bytes in pieces of at most ``chunk_size`` bytes (for streaming a download).

    Raises:
        ValueError: If ``chunk_size`` is not positive.
        OSError: If the file cannot be read.
    """
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    with Path(path).open("rb") as stream:
        while piece := stream.read(chunk_size):
            yield piece


def sha256_file(path: str | Path, chunk_size: int = DEFAULT_CHUNK_BYTES) -> str:
    """SHA-256 of the file's bytes, as 64 lowercase hex digits, read in pieces (memory stays flat)."""
    digest = hashlib.sha256()
    for piece in iter_file_chunks(path, chunk_size):
        digest.update(piece)
    return digest.hexdigest()

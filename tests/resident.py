"""How much more resident memory (RSS) a block of code reached than the process held before it, as Linux counts it.

For tests of what HDF5 and NumPy hold outside Python's allocator, which ``tracemalloc`` does not see (a chunk cache,
a transfer buffer). Linux only: it resets the process's peak through ``/proc/self/clear_refs``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MIB", "ResidentGrowth", "resident_growth"]

MIB = 1 << 20
_STATUS = Path("/proc/self/status")


@dataclass
class ResidentGrowth:
    """Bytes of resident memory the block reached above what the process held when it began (set on leaving)."""

    peak: int = 0


@contextmanager
def resident_growth() -> Iterator[ResidentGrowth]:
    """Measure the peak resident memory of the block above the process's resident memory when it began."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) restarts from the current resident size
    before = _status_kib("VmRSS")
    growth = ResidentGrowth()
    yield growth
    growth.peak = (_status_kib("VmHWM") - before) * 1024


def _status_kib(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise LookupError(f"{field} is not in {_STATUS}")

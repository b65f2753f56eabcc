"""Keeping what a long-running process made at start-up out of the garbage collector's full passes.

A server's start-up heap (the modules of the web framework, the ORM, the drivers and procedures: about 190,000
objects) never becomes garbage, yet every full pass of the cyclic collector walks all of it. Measured in a lab
server answering bookings, availability and lists: a full pass came every 170 requests or so and stopped every
request in the process for 56 ms, which was the whole of the p99 of bookings and availability under ten people's
use (``benchmarks/booking_api.py``). Frozen, the start-up heap is left out of those passes; what requests make is
collected as before.
"""

from __future__ import annotations

import gc

__all__ = ["freeze_startup_heap"]


def freeze_startup_heap() -> None:
    """Collect what start-up left as garbage, then move everything left to the collector's permanent generation."""
    gc.collect()
    gc.freeze()

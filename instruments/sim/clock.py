"""The simulated bench's clock: hardware time, passed on the wall clock scaled by the bench's ``time_scale``.

An instrument's work (a reading's integration, an acquisition, a chamber's settling) lasts as long in *hardware
seconds* as on the real instrument; the bench waits ``time_scale`` wall seconds for each. 1.0 is real time; the demo
bench and the tests use a small scale so that they stay fast. Waits happen in the instrument's own worker thread
(see :mod:`instruments.sim.server`), so one instrument's wait never delays another's replies, and a wait can be cut
short, as a device clear cuts short an acquisition that never triggers.
"""

from __future__ import annotations

import math
import threading
import time

__all__ = ["SimulatedClock"]


class SimulatedClock:
    """Hardware time on the bench.

    Args:
        time_scale: Wall seconds per hardware second (1.0: real time; 0.01: a 1 s acquisition takes 10 ms).

    Raises:
        ValueError: ``time_scale`` is not a finite number above 0.
    """

    def __init__(self, time_scale: float = 1.0) -> None:
        if not math.isfinite(time_scale) or time_scale <= 0:
            raise ValueError(f"time_scale must be a finite number above 0, not {time_scale!r}")
        self.time_scale = time_scale
        self._started = time.monotonic()

    def now_s(self) -> float:
        """Get the hardware seconds since the bench started."""
        return (time.monotonic() - self._started) / self.time_scale

    def wait(self, hardware_s: float, *, interrupt: threading.Event | None = None) -> bool:
        """Wait ``hardware_s`` hardware seconds (``math.inf``: until interrupted); True if the wait ran its course.

        Args:
            hardware_s: How long the hardware would take, in s (0 or less: no wait).
            interrupt: Ends the wait early when set (a device clear, the bench stopping).
        """
        if hardware_s <= 0:
            return not (interrupt is not None and interrupt.is_set())
        wall_s = None if math.isinf(hardware_s) else hardware_s * self.time_scale
        if interrupt is None:
            if wall_s is None:
                raise ValueError("an endless wait needs an interrupt")
            time.sleep(wall_s)
            return True
        return not interrupt.wait(wall_s)

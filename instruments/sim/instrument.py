"""The base of every simulated instrument: SCPI device plus identity, fixture, errors, noise and faults."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import numpy as np

from instruments.accuracy import FunctionAccuracy
from instruments.sim.clock import SimulatedClock
from instruments.sim.config import InstrumentSpec
from instruments.sim.faults import INJECTED_ERROR, LATE_REPLY_S, Fault
from instruments.sim.fixture import Fixture
from instruments.sim.scpi import CommandTree, Reply, ScpiDevice
from instruments.sim.unit_errors import RangedFunction, UnitErrors

__all__ = ["SimulatedInstrument"]


class SimulatedInstrument(ScpiDevice):
    """A simulated instrument on the bench.

    A model declares its SCPI commands as its manual lists them in the class attribute ``commands`` (see
    :mod:`instruments.sim.scpi.tree`); the physics behind them is the model's own.

    Args:
        spec: Its entry in the bench description.
        fixture: The fixture it is cabled to (an empty one if none).
        seed: The bench seed combined with the instrument's position, so each instrument draws
            its own reproducible noise. Its gain and offset errors (:attr:`unit_errors`) are drawn from the bench
            seed and the unit's model and serial: another seed is another unit of the same model.
        clock: The bench's clock, on which its work takes the time the hardware takes (real time if None).

    Attributes:
        faults: The faults injected now.
        late_reply_s: How late replies come while ``Fault.LATE_REPLY`` is injected, in s.
    """

    commands: ClassVar[CommandTree[Any]]

    def __init__(
        self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int], *, clock: SimulatedClock | None = None
    ) -> None:
        super().__init__(spec.idn, type(self).commands)
        self.clock = clock or SimulatedClock()
        self._halt = threading.Event()
        self._interrupt: threading.Event | None = None
        self.spec = spec
        self.fixture = fixture
        self.seed = seed
        self.rng = np.random.default_rng(list(seed))
        self.unit_errors = UnitErrors(seed[0], f"{spec.model}/{spec.serial}")
        self.faults: set[Fault] = set()
        self.late_reply_s = LATE_REPLY_S

    def execute(self, message: str, *, interrupt: threading.Event | None = None) -> list[Reply]:
        """Run one program message (see :meth:`ScpiDevice.execute`).

        Args:
            message: The program message.
            interrupt: Ends the message's work early once set: the server gives the event of the connection that
                sent it, set when that connection closes. None: :meth:`device_clear` ends it.
        """
        if interrupt is None:
            self._halt.clear()
        self._interrupt = interrupt
        try:
            return super().execute(message)
        finally:
            self._interrupt = None

    def work(self, hardware_s: float) -> bool:
        """Take ``hardware_s`` seconds of the instrument's time (a reading's integration, an acquisition).

        Called in the instrument's own thread, so only this instrument waits. Returns False if the wait was cut
        short (the connection that asked closed, or :meth:`device_clear`); ``math.inf`` waits until it is.
        """
        return self.clock.wait(hardware_s, interrupt=self._interrupt or self._halt)

    def device_clear(self) -> None:
        """Cut short the work in progress, as a device clear does; safe to call from any thread."""
        self._halt.set()
        interrupt = self._interrupt
        if interrupt is not None:
            interrupt.set()

    def function(self, name: str, accuracy: FunctionAccuracy) -> RangedFunction:
        """Get one of the unit's functions (a measurement or a source) with the errors it drew for it."""
        return RangedFunction(self.unit_errors, name, accuracy)

    def inject(self, fault: Fault, *, delay_s: float | None = None) -> None:
        """Start a fault (see :class:`Fault` for what each does); ``delay_s`` is how late ``LATE_REPLY`` replies."""
        if fault is Fault.QUEUE_ERROR:
            self.queue_error(INJECTED_ERROR)
        if delay_s is not None:
            self.late_reply_s = delay_s
        self.faults.add(fault)

    def clear_faults(self) -> None:
        """Stop every injected fault; errors already queued stay until read or ``*CLS``."""
        self.faults.clear()
        self.late_reply_s = LATE_REPLY_S

    def noise(self, sigma: float) -> float:
        """Draw one Gaussian noise sample with standard deviation ``sigma`` (0 gives 0)."""
        return float(self.rng.normal(0.0, sigma)) if sigma > 0 else 0.0

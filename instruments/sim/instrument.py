"""The base of every simulated instrument: SCPI device plus identity, fixture, errors, noise and faults."""

from __future__ import annotations

import numpy as np

from instruments.accuracy import FunctionAccuracy
from instruments.sim.config import InstrumentSpec
from instruments.sim.faults import INJECTED_ERROR, Fault
from instruments.sim.fixture import Fixture
from instruments.sim.scpi import ScpiDevice
from instruments.sim.unit_errors import RangedFunction, UnitErrors

__all__ = ["SimulatedInstrument"]


class SimulatedInstrument(ScpiDevice):
    """A simulated instrument on the bench.

    Args:
        spec: Its entry in the bench description.
        fixture: The fixture it is cabled to (an empty one if none).
        seed: The bench seed combined with the instrument's position, so each instrument draws
            its own reproducible noise. Its gain and offset errors (:attr:`unit_errors`) are drawn from the bench
            seed and the unit's model and serial: another seed is another unit of the same model.
    """

    def __init__(self, spec: InstrumentSpec, fixture: Fixture, seed: tuple[int, int]) -> None:
        super().__init__(spec.idn)
        self.spec = spec
        self.fixture = fixture
        self.seed = seed
        self.rng = np.random.default_rng(list(seed))
        self.unit_errors = UnitErrors(seed[0], f"{spec.model}/{spec.serial}")
        self.faults: set[Fault] = set()

    def function(self, name: str, accuracy: FunctionAccuracy) -> RangedFunction:
        """Get one of the unit's functions (a measurement or a source) with the errors it drew for it."""
        return RangedFunction(self.unit_errors, name, accuracy)

    def inject(self, fault: Fault) -> None:
        """Start a fault (see :class:`Fault` for what each does)."""
        if fault is Fault.QUEUE_ERROR:
            self.queue_error(INJECTED_ERROR)
        self.faults.add(fault)

    def clear_faults(self) -> None:
        """Stop every injected fault; errors already queued stay until read or ``*CLS``."""
        self.faults.clear()

    def noise(self, sigma: float) -> float:
        """Draw one Gaussian noise sample with standard deviation ``sigma`` (0 gives 0)."""
        return float(self.rng.normal(0.0, sigma)) if sigma > 0 else 0.0

"""What a simulated unit is off by: gain and offset errors drawn within its datasheet, fixed for its life.

A real instrument between two calibrations reads every value on a range with the same gain and offset error,
somewhere within its datasheet accuracy, and the next unit of the same model has errors of its own. So each
simulated instrument draws, for each function and range, a gain error uniformly within ±``of_reading`` and an
offset error uniformly within ±``offset`` of the lab's table (:mod:`instruments.accuracy`). The draws come from a
generator seeded by the bench seed, the unit (model and serial) and the name of what is drawn: the same bench
seed gives the same errors, whatever order they are asked in; another seed gives another unit.

A reading on a range is ``true × (1 + gain) + offset + noise``, the noise being the range's rms noise at 1 PLC
scaled by ``1/sqrt(NPLC)``. A reading past the range's overrange is an overflow, reported as ±9.9E+37 as the
2450 and the 34410A report it.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from instruments.accuracy import FunctionAccuracy, RangeAccuracy

__all__ = ["OVERFLOW", "RangedFunction", "Reading", "UnitErrors", "range_at"]

#: What a 2450 or 34410A reports for a reading past its range.
OVERFLOW = 9.9e37
_SEED_MASK = 0xFFFF_FFFF_FFFF_FFFF


class UnitErrors:
    """The errors of one physical unit: a number in [-1, 1] per name, drawn once, the same every time.

    Args:
        bench_seed: The bench's seed.
        unit: What tells this unit from another of the same bench, e.g. ``"34410A/MY47012345"``.
    """

    def __init__(self, bench_seed: int, unit: str) -> None:
        self._seed = (bench_seed & _SEED_MASK, zlib.crc32(unit.encode("utf-8")))
        self._drawn: dict[str, float] = {}

    def fraction(self, name: str) -> float:
        """Get the fraction of its datasheet limit this unit is off by for ``name``: uniform in [-1, 1]."""
        if name not in self._drawn:
            rng = np.random.default_rng([*self._seed, zlib.crc32(name.encode("utf-8"))])
            self._drawn[name] = float(rng.uniform(-1.0, 1.0))
        return self._drawn[name]

    def within(self, name: str, half_width: float) -> float:
        """Get this unit's error for ``name``, drawn uniformly within ±``half_width``."""
        return self.fraction(name) * half_width


def range_at(function: FunctionAccuracy, setting: float) -> RangeAccuracy:
    """Get the range an explicit range setting selects: the smallest whose full scale holds ``|setting|``."""
    magnitude = abs(setting)
    for candidate in function.ranges:
        if magnitude <= candidate.full_scale * (1 + 1e-9):
            return candidate
    return function.ranges[-1]


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading and the range it was taken on."""

    value: float
    span: RangeAccuracy

    @property
    def overflow(self) -> bool:
        """Get whether the reading is past its range (reported as ±9.9E+37)."""
        return abs(self.value) >= OVERFLOW


class RangedFunction:
    """One function of one unit (e.g. a 2450's current measurement) with the errors its unit drew.

    Args:
        errors: The unit's errors.
        name: The function's name, part of what each draw is keyed by (``"current"``, ``"source voltage"``).
        accuracy: The model's datasheet figures for the function.
    """

    def __init__(self, errors: UnitErrors, name: str, accuracy: FunctionAccuracy) -> None:
        self._errors = errors
        self.name = name
        self.accuracy = accuracy

    def gain(self, span: RangeAccuracy) -> float:
        """Get the unit's gain error on ``span``, a fraction of the reading within ±``of_reading``."""
        return self._errors.within(f"{self.name}/{span.full_scale:g}/gain", span.of_reading)

    def offset(self, span: RangeAccuracy) -> float:
        """Get the unit's offset error on ``span``, in the function's units, within ±``offset``."""
        return self._errors.within(f"{self.name}/{span.full_scale:g}/offset", span.offset)

    def span(self, value: float, range_setting: float | None) -> RangeAccuracy:
        """Get the range ``value`` is taken on: autorange's choice (``range_setting`` None) or the fixed one."""
        return self.accuracy.range_for(value) if range_setting is None else range_at(self.accuracy, range_setting)

    def output(self, setpoint: float, range_setting: float | None = None) -> float:
        """Get what a source of this function set to ``setpoint`` really gives (no noise)."""
        span = self.span(setpoint, range_setting)
        return setpoint * (1 + self.gain(span)) + self.offset(span)

    def read(
        self,
        true_value: float,
        *,
        range_setting: float | None = None,
        nplc: float = 1.0,
        noise: Callable[[float], float],
    ) -> Reading:
        """Take one reading of ``true_value``.

        Args:
            true_value: What is really there, in the function's units.
            range_setting: A fixed range (its full scale or any value it holds), or None for autorange, which
                steps up a range when the reading would be past the chosen one's overrange.
            nplc: Integration time in power-line cycles; the range's noise falls as ``1/sqrt(nplc)``.
            noise: Draws one Gaussian sample of the given standard deviation.
        """
        span = self.span(true_value, range_setting)
        candidates = self.accuracy.ranges[self.accuracy.ranges.index(span) :] if range_setting is None else (span,)
        value = true_value
        for candidate in candidates:
            span = candidate
            value = true_value * (1 + self.gain(span)) + self.offset(span) + noise(span.noise / math.sqrt(nplc))
            if abs(value) <= span.full_scale * self.accuracy.overrange:
                return Reading(value, span)
        return Reading(math.copysign(OVERFLOW, value), span)

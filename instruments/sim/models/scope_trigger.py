"""When a simulated InfiniiVision scope triggers, and how long its acquisitions take.

An edge trigger fires where the trigger source's true signal crosses the trigger level with the set slope
(``:TRIGger[:EDGE]:SOURce``, ``:LEVel``, ``:SLOPe``); a source with no signal (a DC level, a channel probing nothing,
``EXTernal`` or ``WGEN`` with nothing simulated behind them) or a level beyond the signal's range never fires. The
fixture's noise does not make it fire: the trigger's hysteresis rejects noise that small.

An acquisition waits for the pre-trigger part of the screen, then for the next trigger, then records the rest of the
screen and rearms: at least the screen's time span, 10 × ``:TIMebase:SCALe`` (the 3000T programmer's guide: the
horizontal range is 10 divisions), plus :data:`REARM_S`. With ``:TRIGger:SWEep NORMal`` and no trigger it never
ends; with ``AUTO`` (the guide's ``*RST`` value) the scope triggers itself after :data:`AUTO_TRIGGER_S`, as the
guide says AUTO mode "generates an artificial trigger event if the trigger specification is not satisfied".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["AUTO_TRIGGER_S", "REARM_S", "TriggerSpec", "acquisition_s", "crossing_phase_s", "samples_of_one_period"]

#: Dead time between acquisitions, in s: the 3000T data sheet's update rate of over 1,000,000 waveforms a second.
REARM_S = 1e-6
#: How long AUTO sweep waits for a trigger before it triggers itself, in s: the bench's figure (the manuals give
#: none).
AUTO_TRIGGER_S = 0.05
_SAMPLES_A_PERIOD = 4096


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """The edge trigger as set: level in V, slope ``POS``, ``NEG``, ``EITH`` or ``ALT``, sweep ``AUTO`` or ``NORM``."""

    level_v: float
    slope: str
    sweep: str


def crossing_phase_s(volts: npt.NDArray[np.float64], period_s: float, trigger: TriggerSpec) -> float | None:
    """Get where in a period a periodic signal first crosses the trigger level, in s from the period's start.

    Args:
        volts: One period of the signal, sampled evenly from its start (the generator's rising edge).
        period_s: The period, in s (0: a DC level, which never triggers).
        trigger: The trigger's level and slope.

    Returns:
        The crossing's time in the period, or None if the signal never crosses the level with that slope.
    """
    if period_s <= 0 or volts.size < 2:
        return None
    wrapped = np.append(volts, volts[0])  # the crossing from the period's last sample to the next period's first
    below = wrapped < trigger.level_v
    rising = below[:-1] & ~below[1:]
    falling = ~below[:-1] & below[1:]
    edges = {"POS": rising, "NEG": falling}.get(trigger.slope, rising | falling)
    found = np.flatnonzero(edges)
    if found.size == 0:
        return None
    return float(found[0] + 1) * period_s / volts.size


def acquisition_s(
    now_s: float,
    *,
    scale_s: float,
    reference_divisions: float,
    trigger: TriggerSpec,
    crossing: tuple[float, float] | None,
) -> float:
    """Get how long an acquisition armed at ``now_s`` takes, in s (``math.inf``: it never triggers).

    Args:
        now_s: The time on the bench's clock when it is armed, in s; the signal's periods start at 0.
        scale_s: The time base, in s/div.
        reference_divisions: Where the trigger sits on the 10-division screen, from the left.
        trigger: The trigger's sweep mode.
        crossing: The trigger's phase in the signal's period and the period, in s; None if it never triggers.
    """
    pre_trigger_s = reference_divisions * scale_s
    post_trigger_s = (10 - reference_divisions) * scale_s
    if crossing is None:
        return math.inf if trigger.sweep == "NORM" else max(pre_trigger_s, AUTO_TRIGGER_S) + post_trigger_s + REARM_S
    phase_s, period_s = crossing
    earliest_s = now_s + pre_trigger_s
    triggered_at = phase_s + math.ceil((earliest_s - phase_s) / period_s) * period_s
    return triggered_at - now_s + post_trigger_s + REARM_S


def samples_of_one_period(period_s: float) -> npt.NDArray[np.float64]:
    """Get the times at which :func:`crossing_phase_s` samples one period, from a rising drive edge, in s."""
    return np.arange(_SAMPLES_A_PERIOD, dtype=np.float64) * (period_s / _SAMPLES_A_PERIOD)

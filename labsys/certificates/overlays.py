"""What a report draws over a run's measured curve, and the deviations it states, from the run's record.

A diode sweep is drawn with the fitted Shockley model over the measured points, on a logarithmic current axis,
and the limits of what was fitted (the current limit and the fit's floor) as dashed lines.
"""

from __future__ import annotations

import math

import numpy as np

from labsys.runs.models import Run
from results.analysis import thermal_voltage
from results.analysis.diode import COMPLIANCE_MARGIN, CURRENT_FLOOR_A, diode_voltage
from results.certificates import PlotLine

__all__ = ["run_deviations", "run_overlays"]

_DIODE = ("saturation_current", "ideality_factor", "series_resistance")
_ZERO_CELSIUS_K = 273.15


def _parameter(run: Run, name: str) -> float | None:
    entry = run.parameters.get(name)
    return float(entry["value"]) if entry is not None else None


def run_overlays(run: Run) -> tuple[PlotLine, ...]:
    """The lines a report draws over the run's curve (none for a run without a model to draw)."""
    if not all(name in run.metrics for name in _DIODE):
        return ()
    limit, ambient = _parameter(run, "compliance_current"), _parameter(run, "ambient_temperature")
    start, stop = _parameter(run, "start_voltage"), _parameter(run, "stop_voltage")
    if limit is None or ambient is None or start is None or stop is None or limit <= CURRENT_FLOOR_A:
        return ()
    saturation, ideality, resistance = (float(run.metrics[name]["value"]) for name in _DIODE)
    currents = np.logspace(math.log10(CURRENT_FLOOR_A), math.log10(COMPLIANCE_MARGIN * limit), 200)
    volts = diode_voltage(currents, saturation, ideality, resistance, thermal_voltage(ambient + _ZERO_CELSIUS_K))
    span = np.array([start, stop])
    swept = (volts >= start) & (volts <= stop)  # the model where the sweep measured it
    return (
        PlotLine("fitted model (Shockley, series R)", volts[swept], currents[swept]),
        PlotLine(f"current limit {limit:g} A", span, np.full(2, limit), dashed=True),
        PlotLine(f"fit floor {CURRENT_FLOOR_A:g} A", span, np.full(2, CURRENT_FLOOR_A), dashed=True),
    )


def run_deviations(run: Run) -> tuple[str, ...]:
    """What the run's analysis says a report must state as a deviation, each note once, prefixed with the run."""
    notes: list[str] = []
    for values in run.metrics.values():
        for note in values.get("notes") or ():
            text = f"Run {run.id}: {note}"
            if text not in notes:
                notes.append(text)
    return tuple(notes)

"""The programs of the catalog's methods: each method's procedure and the analysis of its data."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from labsys.stations.programs import MethodProgram
from procedures.by_name import PROCEDURES
from procedures.sink import MemorySink
from results.analysis import (
    AccuracySpec,
    Metric,
    capacitor_lcr,
    fit_diode_iv,
    four_wire_resistance,
    step_response,
    temperature_coefficient,
)
from results.analysis.uncertainty import (
    combined_standard_uncertainty,
    coverage_factor,
    effective_degrees_of_freedom,
    rectangular,
)

__all__ = ["PROGRAMS"]

_ZERO_CELSIUS_K = 273.15

#: Keithley 2450 current noise on the 100 mA range at 1 PLC: a floor, and a small part of the reading.
SMU_CURRENT_NOISE = (1e-4, 2e-10)
#: Agilent 34410A 1-year accuracy, 1 kΩ range: 0.010 % of reading + 0.001 % of range.
DMM_ACCURACY_1K = AccuracySpec(of_reading=1e-4, of_range=1e-5, range_value=1000.0)
#: Watlow F4T with its chamber RTD: ±0.1 K, the temperature the lab's budget assigns to the sample.
CHAMBER_SENSOR_ACCURACY_K = 0.1
#: A reading within this fraction of the current limit may be clipped by the SMU: it is left out of the fit.
COMPLIANCE_MARGIN = 0.98
#: Agilent E4980A basic accuracy used by the lab's budget: 0.05 % of C, 0.0005 absolute in D.
LCR_ACCURACY = (5e-4, 5e-4)


def analyse_diode(sink: MemorySink, parameters: Mapping[str, float]) -> dict[str, Metric]:
    """Saturation current, ideality factor and series resistance from the forward sweep.

    Points at the current limit are the SMU's clamp, not the diode: they are left out of the fit.
    """
    voltage, current = sink.column("voltage"), sink.column("current")
    free = np.abs(current) < COMPLIANCE_MARGIN * parameters["compliance_current"]
    return fit_diode_iv(
        voltage[free],
        current[free],
        temperature_k=parameters["ambient_temperature"] + _ZERO_CELSIUS_K,
        temperature_uncertainty_k=0.5,
        min_current_a=1e-8,
        current_noise=SMU_CURRENT_NOISE,
    )


def analyse_resistance(sink: MemorySink, parameters: Mapping[str, float]) -> dict[str, Metric]:
    """R at the reference temperature and the temperature coefficient; the mean R of the first step too.

    R0's uncertainty adds the meter's accuracy and the chamber sensor's (through the slope dR/dT) to the fit's;
    alpha's adds the sensor's error at each step, which tilts the fitted line.
    """
    temperature, resistance = sink.column("temperature"), sink.column("resistance")
    metrics = temperature_coefficient(
        resistance, temperature, reference_temperature_c=parameters["reference_temperature"]
    )
    r0, alpha = metrics["resistance_at_reference"], metrics["temperature_coefficient"]
    metrics["resistance_at_reference"] = _with_type_b(
        r0,
        readings=resistance.size,
        half_widths=(DMM_ACCURACY_1K.half_width(r0.value), abs(alpha.value * r0.value) * CHAMBER_SENSOR_ACCURACY_K),
    )
    # Each step's temperature error is its own: it tilts the line by about u(T) / sqrt(sum of (T - mean T)^2).
    steps = temperature.reshape(-1, int(parameters["readings_per_step"])).mean(axis=1)
    spread = float(np.sqrt(np.sum((steps - steps.mean()) ** 2)))
    metrics["temperature_coefficient"] = _with_type_b(
        alpha, readings=resistance.size, half_widths=(abs(alpha.value) * CHAMBER_SENSOR_ACCURACY_K / spread,)
    )
    first_step = resistance[: int(parameters["readings_per_step"])]
    metrics.update(four_wire_resistance(first_step, accuracy=DMM_ACCURACY_1K))
    return metrics


def _with_type_b(metric: Metric, *, readings: int, half_widths: tuple[float, ...]) -> Metric:
    """The metric with type B components (rectangular ± half-widths) added to its type A (fit) uncertainty."""
    components = [(metric.standard_uncertainty, float(max(readings - 2, 1))), *map(rectangular, half_widths)]
    u = combined_standard_uncertainty(components)
    k = coverage_factor(effective_degrees_of_freedom(components))
    return Metric.from_standard_uncertainty(metric.name, metric.value, u, metric.units, coverage_factor=k)


def analyse_step(sink: MemorySink, _parameters: Mapping[str, float]) -> dict[str, Metric]:
    """Time constant, 10-90 % rise time and overshoot of the averaged records."""
    records = [name for name in sink.waveforms if name.startswith("step_")]
    blocks = [np.concatenate([b.raw for b in sink.waveforms[name]]) for name in records]
    first = sink.waveforms[records[0]][0]
    volts = np.mean([raw * first.scale + first.offset for raw in blocks], axis=0)
    times = first.t0 + first.dt * np.arange(volts.size)
    return step_response(times, volts, units=first.y_units)


def analyse_capacitor(sink: MemorySink, _parameters: Mapping[str, float]) -> dict[str, Metric]:
    """C and D with U at each test frequency."""
    return capacitor_lcr(
        sink.column("frequency"),
        sink.column("capacitance"),
        sink.column("dissipation"),
        capacitance_accuracy=LCR_ACCURACY[0],
        dissipation_accuracy=LCR_ACCURACY[1],
    )


PROGRAMS: dict[str, MethodProgram] = {
    "diode_iv": MethodProgram(PROCEDURES["diode_iv"], analyse_diode),
    "resistance_tcr": MethodProgram(PROCEDURES["resistance_tcr"], analyse_resistance),
    "step_response": MethodProgram(PROCEDURES["step_response"], analyse_step),
    "capacitance_df": MethodProgram(PROCEDURES["capacitance_df"], analyse_capacitor),
}

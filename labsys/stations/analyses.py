"""The programs of the catalog's methods: each method's procedure and the analysis of its run file.

Every analysis reads the closed run file (columns whole, waveform records chunk by chunk) and the parameters it
holds; the constants each one uses are declared beside it and recorded with every analysis it makes.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from labsys.stations.programs import MethodProgram
from procedures.by_name import PROCEDURES
from results.analysis import (
    AccuracySpec,
    Metric,
    RecordMean,
    capacitor_lcr,
    fit_diode_iv,
    four_wire_resistance,
    step_response_of,
    temperature_coefficient,
)
from results.analysis.step_passes import MAX_BINS
from results.analysis.uncertainty import (
    combined_standard_uncertainty,
    coverage_factor,
    effective_degrees_of_freedom,
    rectangular,
)
from results.hdf5 import Quantity, RunData

__all__ = ["PROGRAMS"]

_ZERO_CELSIUS_K = 273.15

#: Keithley 2450 current noise on the 100 mA range at 1 PLC: a small part of the reading, and a floor (A).
SMU_CURRENT_NOISE = (1e-4, 2e-10)
#: Agilent 34410A 1-year accuracy, 1 kΩ range: 0.010 % of reading + 0.001 % of range.
DMM_ACCURACY_1K = AccuracySpec(of_reading=1e-4, of_range=1e-5, range_value=1000.0)
#: Watlow F4T with its chamber RTD: ±0.1 K, the temperature the lab's budget assigns to the sample.
CHAMBER_SENSOR_ACCURACY_K = 0.1
#: A reading within this fraction of the current limit may be clipped by the SMU: it is left out of the fit.
COMPLIANCE_MARGIN = 0.98
#: Agilent E4980A basic accuracy used by the lab's budget: 0.05 % of C, 0.0005 absolute in D.
LCR_ACCURACY = (5e-4, 5e-4)
#: The ambient temperature is typed by the engineer: its standard uncertainty, in K.
AMBIENT_TEMPERATURE_UNCERTAINTY_K = 0.5
#: Currents below this are left out of the diode fit (the SMU's noise floor dominates them), in A.
MIN_FIT_CURRENT_A = 1e-8


def analyse_diode(data: RunData, parameters: Mapping[str, float]) -> dict[str, Metric]:
    """Saturation current, ideality factor and series resistance from the forward sweep.

    Points at the current limit are the SMU's clamp, not the diode: they are left out of the fit.
    """
    voltage, current = data.column("voltage"), data.column("current")
    free = np.abs(current) < COMPLIANCE_MARGIN * parameters["compliance_current"]
    return fit_diode_iv(
        voltage[free],
        current[free],
        temperature_k=parameters["ambient_temperature"] + _ZERO_CELSIUS_K,
        temperature_uncertainty_k=AMBIENT_TEMPERATURE_UNCERTAINTY_K,
        min_current_a=MIN_FIT_CURRENT_A,
        current_noise=SMU_CURRENT_NOISE,
    )


def analyse_resistance(data: RunData, parameters: Mapping[str, float]) -> dict[str, Metric]:
    """R at the reference temperature and the temperature coefficient; the mean R of the first step too.

    R0's uncertainty adds the meter's accuracy and the chamber sensor's (through the slope dR/dT) to the fit's;
    alpha's adds the sensor's error at each step, which tilts the fitted line.
    """
    temperature, resistance = data.column("temperature"), data.column("resistance")
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


def analyse_step(data: RunData, _parameters: Mapping[str, float]) -> dict[str, Metric]:
    """Time constant, 10-90 % rise time and overshoot of the records' mean, read chunk by chunk.

    Raises:
        ValueError: If the run holds no record, or its records do not share one time axis.
    """
    records = [data.waveform(name) for name in data.waveform_names if name.startswith("step_")]
    if not records:
        raise ValueError("the run holds no step record")
    return step_response_of(RecordMean(records))


def analyse_capacitor(data: RunData, _parameters: Mapping[str, float]) -> dict[str, Metric]:
    """C and D with U at each test frequency."""
    return capacitor_lcr(
        data.column("frequency"),
        data.column("capacitance"),
        data.column("dissipation"),
        capacitance_accuracy=LCR_ACCURACY[0],
        dissipation_accuracy=LCR_ACCURACY[1],
    )


DIODE_CONSTANTS = {
    "smu_current_noise_of_reading": Quantity(SMU_CURRENT_NOISE[0], "1"),
    "smu_current_noise_floor": Quantity(SMU_CURRENT_NOISE[1], "A"),
    "compliance_margin": Quantity(COMPLIANCE_MARGIN, "1"),
    "ambient_temperature_uncertainty": Quantity(AMBIENT_TEMPERATURE_UNCERTAINTY_K, "K"),
    "min_fit_current": Quantity(MIN_FIT_CURRENT_A, "A"),
}
RESISTANCE_CONSTANTS = {
    "dmm_accuracy_of_reading": Quantity(DMM_ACCURACY_1K.of_reading, "1"),
    "dmm_accuracy_of_range": Quantity(DMM_ACCURACY_1K.of_range, "1"),
    "dmm_range": Quantity(DMM_ACCURACY_1K.range_value, "ohm"),
    "chamber_sensor_accuracy": Quantity(CHAMBER_SENSOR_ACCURACY_K, "K"),
}
CAPACITOR_CONSTANTS = {
    "lcr_capacitance_accuracy": Quantity(LCR_ACCURACY[0], "1"),
    "lcr_dissipation_accuracy": Quantity(LCR_ACCURACY[1], "1"),
}
STEP_CONSTANTS = {
    "max_bins": Quantity(MAX_BINS, "1"),
    "moving_average_of_tau": Quantity(0.1, "1"),
    "state_level_fraction": Quantity(0.05, "1"),
}

PROGRAMS: dict[str, MethodProgram] = {
    "diode_iv": MethodProgram(PROCEDURES["diode_iv"], analyse_diode, DIODE_CONSTANTS),
    "resistance_tcr": MethodProgram(PROCEDURES["resistance_tcr"], analyse_resistance, RESISTANCE_CONSTANTS),
    "step_response": MethodProgram(PROCEDURES["step_response"], analyse_step, STEP_CONSTANTS),
    "capacitance_df": MethodProgram(PROCEDURES["capacitance_df"], analyse_capacitor, CAPACITOR_CONSTANTS),
}

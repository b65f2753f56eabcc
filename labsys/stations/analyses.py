"""The programs of the catalog's methods: each method's procedure and the analysis of its run file.

Every analysis reads the closed run file (columns whole, waveform records chunk by chunk) and the parameters it
holds; the constants each one uses are declared beside it and recorded with every analysis it makes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from instruments.accuracy import (
    CHAMBER_SENSOR,
    GENERATOR_OUTPUT,
    LCR_BASIC,
    MODEL_ACCURACY,
    SCOPE_INPUT,
    SCOPE_VERTICAL,
)
from labsys.stations.budgets import SystematicInput, budgeted, offset_of_ranges, part_of_reading, with_relative
from labsys.stations.programs import MethodProgram
from procedures.by_name import PROCEDURES
from results.analysis import (
    Contribution,
    Metric,
    RecordMean,
    capacitor_lcr,
    fit_diode_iv,
    four_wire_resistance,
    saturation_current_at,
    step_response_of,
    temperature_coefficient,
)
from results.analysis.capacitor import frequency_label
from results.analysis.diode import COMPLIANCE_MARGIN, CURRENT_FLOOR_A
from results.analysis.step_passes import MAX_BINS
from results.hdf5 import Quantity, RunData

Floats = npt.NDArray[np.float64]

__all__ = ["PROGRAMS"]

_ZERO_CELSIUS_K = 273.15

#: The diode's junction is taken to be at the stated ambient temperature, within ±1 K (the lab's room
#: thermometer and the air's drift during a sweep; self-heating at the sweep's currents is not included).
JUNCTION_TEMPERATURE_HALF_WIDTH_K = 1.0

#: The smallest network STEP-RISE is validated for (R in Ω, C in F), and the largest R: the circuit's tolerances
#: about its nominal 50 Ω source and 1 MΩ ∥ 14 pF load weigh most there.
STEP_NETWORK_MIN = (1e3, 1e-9)
STEP_NETWORK_MAX_OHM = 20e3

_SMU = MODEL_ACCURACY["keithley2450"]
_DMM_OHMS = MODEL_ACCURACY["agilent34410a"]["resistance_4w"]


def _diode_fit(parameters: Mapping[str, float]) -> Callable[[Mapping[str, Floats]], dict[str, Metric]]:
    """The diode fit on (possibly perturbed) data, weighted by the 2450's noise on each reading's range."""
    nplc = max(float(parameters.get("nplc", 1.0)), 0.01)
    stated_k = parameters["ambient_temperature"] + _ZERO_CELSIUS_K

    def fit(data: Mapping[str, Floats]) -> dict[str, Metric]:
        current = data["current"]
        sigma_i = np.array([_SMU["current"].range_for(i).noise for i in current.tolist()]) / math.sqrt(nplc)
        sigma_v = _SMU["voltage"].range_for(float(np.max(np.abs(data["voltage"])))).noise / math.sqrt(nplc)
        junction_k = float(data["temperature_k"][0])
        metrics = fit_diode_iv(
            data["voltage"],
            current,
            temperature_k=junction_k,
            min_current_a=CURRENT_FLOOR_A,
            current_sigma_a=sigma_i,
            voltage_sigma_v=sigma_v,
        )
        if junction_k != stated_k:  # Is as the report gives it: at the stated temperature
            fitted, n = metrics["saturation_current"], metrics["ideality_factor"].value
            value = saturation_current_at(fitted.value, n, junction_k, stated_k)
            metrics["saturation_current"] = replace(fitted, value=value)
        return metrics

    return fit


def analyse_diode(data: RunData, parameters: Mapping[str, float]) -> dict[str, Metric]:
    """Saturation current, ideality factor and series resistance from the forward sweep, with their budgets.

    Points at the current limit are the SMU's clamp, not the diode: they are left out of the fit. The voltage is
    measured with remote sense at the diode's leads (four-wire), so the leads add nothing to the series resistance.
    """
    voltage, current = data.column("voltage"), data.column("current")
    free = np.abs(current) < COMPLIANCE_MARGIN * parameters["compliance_current"]
    ambient_k = parameters["ambient_temperature"] + _ZERO_CELSIUS_K
    arrays = {"voltage": voltage[free], "current": current[free], "temperature_k": np.array([ambient_k])}
    fitted = int(np.count_nonzero(arrays["current"] > CURRENT_FLOOR_A))
    metrics = budgeted(
        arrays,
        _diode_fit(parameters),
        type_a_sources=dict.fromkeys(
            ("saturation_current", "ideality_factor", "series_resistance"),
            ("fit of the I-V points (type A)", float(max(fitted - 3, 1))),
        ),
        systematic=[
            SystematicInput(
                "Keithley 2450 current accuracy, gain, ranges used", part_of_reading("current", _SMU["current"])
            ),
            SystematicInput(
                "Keithley 2450 current accuracy, offset, ranges used", offset_of_ranges("current", _SMU["current"])
            ),
            SystematicInput("Keithley 2450 voltage accuracy, gain", part_of_reading("voltage", _SMU["voltage"])),
            SystematicInput("Keithley 2450 voltage accuracy, offset", offset_of_ranges("voltage", _SMU["voltage"])),
            # A junction off the stated temperature changes the n the fit sees and the Is the report states there.
            SystematicInput(
                f"junction temperature, stated ambient ± {JUNCTION_TEMPERATURE_HALF_WIDTH_K:g} K",
                lambda d: {**d, "temperature_k": d["temperature_k"] + JUNCTION_TEMPERATURE_HALF_WIDTH_K},
            ),
        ],
    )
    clipped = int(np.count_nonzero(~free))
    if not clipped:
        return metrics
    limit = parameters["compliance_current"]
    note = (
        f"{clipped} of {current.size} points reached the current limit of {limit:g} A (the SMU's clamp, not the "
        "diode) and were left out of the diode fit."
    )
    return {name: replace(metric, notes=(note,)) for name, metric in metrics.items()}


def _resistance_analysis(parameters: Mapping[str, float]) -> Callable[[Mapping[str, Floats]], dict[str, Metric]]:
    per_step = int(parameters["readings_per_step"])

    def analyse(data: Mapping[str, Floats]) -> dict[str, Metric]:
        temperature, resistance = data["temperature"], data["resistance"]
        metrics = temperature_coefficient(
            resistance, temperature, reference_temperature_c=parameters["reference_temperature"]
        )
        metrics.update(four_wire_resistance(resistance[:per_step]))
        return metrics

    return analyse


def analyse_resistance(data: RunData, parameters: Mapping[str, float]) -> dict[str, Metric]:
    """R at the reference temperature and the temperature coefficient, and the mean R of the first step.

    Budgets: the fit (or the first step's scatter), the 34410A's accuracy on the range each reading was taken on
    (gain and offset), and the chamber sensor's stated accuracy (its offset moves R0 through the slope, its part of
    reading tilts the line).
    """
    arrays = {"temperature": data.column("temperature"), "resistance": data.column("resistance")}
    readings = arrays["resistance"].size
    fit_words = ("fit of R against T (type A)", float(max(readings - 2, 1)))
    sensor = CHAMBER_SENSOR
    return budgeted(
        arrays,
        _resistance_analysis(parameters),
        type_a_sources={
            "resistance_at_reference": fit_words,
            "temperature_coefficient": fit_words,
            "resistance": ("repeatability of the first step (type A)", float(int(parameters["readings_per_step"]) - 1)),
        },
        systematic=[
            SystematicInput(
                "Agilent 34410A 4-wire accuracy, % of reading, ranges used", part_of_reading("resistance", _DMM_OHMS)
            ),
            SystematicInput(
                "Agilent 34410A 4-wire accuracy, % of range, ranges used", offset_of_ranges("resistance", _DMM_OHMS)
            ),
            SystematicInput(
                "chamber sensor accuracy, fixed part (class A Pt100)", offset_of_ranges("temperature", sensor)
            ),
            SystematicInput(
                "chamber sensor accuracy, part of reading (class A Pt100)", part_of_reading("temperature", sensor)
            ),
        ],
    )


def analyse_step(data: RunData, _parameters: Mapping[str, float]) -> dict[str, Metric]:
    """Time constant, 10-90 % rise time and overshoot of the records' mean, read chunk by chunk, with budgets.

    The measurand is the network's response in the stated test circuit: driven from the generator's 50 Ω output,
    loaded by the scope's 1 MΩ ∥ 14 pF input. Budgets add to the analysis's own figures the scope's time base (τ,
    rise time), its vertical gain (the amplitude; offset cancels in a step), and the circuit's tolerances about
    those nominal values, bounded for the networks the method is validated for.

    Raises:
        ValueError: If the run holds no record, or its records do not share one time axis.
    """
    records = [data.waveform(name) for name in data.waveform_names if name.startswith("step_")]
    if not records:
        raise ValueError("the run holds no step record")
    metrics = step_response_of(RecordMean(records))
    timing = [Contribution.rectangular("DSOX3024T time base accuracy", SCOPE_VERTICAL.timebase)]
    timing += [Contribution.rectangular(source, fraction) for source, fraction in _circuit_tolerances()]
    relative = {
        "time_constant": timing,
        "rise_time": timing,
        "step_amplitude": [Contribution.rectangular("DSOX3024T DC vertical gain", SCOPE_VERTICAL.gain_of_full_scale)],
    }
    return {name: with_relative(metric, relative.get(name, ())) for name, metric in metrics.items()}


def _circuit_tolerances() -> list[tuple[str, float]]:
    """How far the test circuit's tolerances may move τ, as fractions, for the smallest network the method takes."""
    r, c = STEP_NETWORK_MIN
    generator = GENERATOR_OUTPUT
    source = generator.impedance_ohm * generator.impedance_tolerance / (r + generator.impedance_ohm)
    load_r = STEP_NETWORK_MAX_OHM / SCOPE_INPUT.resistance_ohm * SCOPE_INPUT.resistance_tolerance
    load_c = SCOPE_INPUT.capacitance_f * SCOPE_INPUT.capacitance_tolerance / c
    return [
        (
            f"generator source impedance, {generator.impedance_ohm:g} Ω ± {generator.impedance_tolerance:.0%}",
            source,
        ),
        (f"scope input resistance, 1 MΩ ± {SCOPE_INPUT.resistance_tolerance:.0%}", load_r),
        (f"scope input capacitance, 14 pF ± {SCOPE_INPUT.capacitance_tolerance:.0%}", load_c),
    ]


def analyse_capacitor(data: RunData, _parameters: Mapping[str, float]) -> dict[str, Metric]:
    """C and D with U at each test frequency: the readings' scatter and the E4980A's accuracy at that frequency and
    impedance (for C a fraction of the reading, for D the same figure as a number)."""
    frequency, capacitance = data.column("frequency"), data.column("capacitance")
    arrays = {"frequency": frequency, "capacitance": capacitance, "dissipation": data.column("dissipation")}
    metrics = capacitor_lcr(frequency, capacitance, arrays["dissipation"])
    stated: dict[str, list[Contribution]] = {}
    for value in np.unique(frequency):
        label = frequency_label(float(value))
        c = metrics[f"capacitance_{label}"].value
        accuracy = LCR_BASIC.relative(float(value), 1.0 / (2.0 * math.pi * float(value) * abs(c)))
        words = f"Agilent E4980A basic accuracy at {value:g} Hz"
        stated[f"capacitance_{label}"] = [Contribution.rectangular(words, accuracy * abs(c))]
        stated[f"dissipation_factor_{label}"] = [Contribution.rectangular(words, accuracy)]
    readings = int(np.count_nonzero(frequency == frequency[0])) if frequency.size else 2
    return budgeted(
        arrays,
        lambda d: capacitor_lcr(d["frequency"], d["capacitance"], d["dissipation"]),
        type_a_sources=dict.fromkeys(metrics, ("repeatability (type A)", float(readings - 1))),
        systematic=[],
        stated=stated,
    )


DIODE_CONSTANTS = {
    "compliance_margin": Quantity(COMPLIANCE_MARGIN, "1"),
    "junction_temperature_half_width": Quantity(JUNCTION_TEMPERATURE_HALF_WIDTH_K, "K"),
    "min_fit_current": Quantity(CURRENT_FLOOR_A, "A"),
}
RESISTANCE_CONSTANTS = {
    "chamber_sensor_fixed": Quantity(CHAMBER_SENSOR.ranges[0].offset, "K"),
    "chamber_sensor_of_reading": Quantity(CHAMBER_SENSOR.ranges[0].of_reading, "1"),
    "dmm_4w_1k_of_reading": Quantity(_DMM_OHMS.range_for(1e3).of_reading, "1"),
    "dmm_4w_1k_offset": Quantity(_DMM_OHMS.range_for(1e3).offset, "ohm"),
}
CAPACITOR_CONSTANTS = {
    "lcr_basic_accuracy_1kHz": Quantity(LCR_BASIC.bands[0][1], "1"),
    "lcr_short_residual": Quantity(LCR_BASIC.short_residual_ohm, "ohm"),
    "lcr_open_residual": Quantity(LCR_BASIC.open_residual_s, "S"),
}
STEP_CONSTANTS = {
    "max_bins": Quantity(MAX_BINS, "1"),
    "moving_average_of_tau": Quantity(0.1, "1"),
    "state_level_fraction": Quantity(0.05, "1"),
}

#: Instrument accuracies come from the lab's table (:mod:`instruments.accuracy`), named in each budget line.
PROGRAMS: dict[str, MethodProgram] = {
    "diode_iv": MethodProgram(PROCEDURES["diode_iv"], analyse_diode, DIODE_CONSTANTS),
    "resistance_tcr": MethodProgram(PROCEDURES["resistance_tcr"], analyse_resistance, RESISTANCE_CONSTANTS),
    "step_response": MethodProgram(PROCEDURES["step_response"], analyse_step, STEP_CONSTANTS),
    "capacitance_df": MethodProgram(PROCEDURES["capacitance_df"], analyse_capacitor, CAPACITOR_CONSTANTS),
}

"""Each method's stated U covers the truth in at least 95 % of runs, over benches whose devices are drawn across the
method's range and whose instruments err within their datasheets (each bench draws its own errors).

This is what a budget claims: k for about 95 % coverage. A budget that leaves out an input the instruments really
have (a range's gain, the junction's temperature, the scope's time base) fails here, and one that counts an input
many times over shows as a large U/|error|, which the test prints per metric.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from instruments.drivers import use_instrument
from instruments.sim import BenchSpec, Capacitor, Diode, Resistor, SimulatedBench, draw_bench
from results.analysis import Metric
from tests.e2e.bench_runs import measure

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.coverage]

#: Benches drawn per method. At 50, the binomial standard error of a coverage near 97 % is 2.4 %: a budget that
#: covers 98 % of the time would show as 94 % about one run in five. 100 halves that doubt, in about a minute.
SEEDS = range(100)
#: The coverage a k-for-95 % budget must reach: at most 2 misses in 50.
REQUIRED_COVERAGE = 0.95

#: Each method with parameters that keep 50 runs short (all within the method's allowed ranges).
PARAMETERS: dict[str, dict[str, float]] = {
    "DIODE-IV": {},
    "RES-4W-TCR": {"readings_per_step": 5, "temperature_steps": 3},
    "STEP-RISE": {"records": 2, "record_points": 100_000},
    "CAP-CD": {"repeats": 3},
}

#: The ambient temperature a DIODE-IV run states (the method's default): the lab thermometer's reading.
STATED_AMBIENT_C = 23.0

Truths = Callable[[SimulatedBench], dict[str, float]]


def _diode(bench: SimulatedBench) -> dict[str, float]:
    diode = bench.truth("FX-DIODE")
    assert isinstance(diode, Diode)
    # The report states Is at the ambient temperature the engineer gives (the method's default, 23 °C); the drawn
    # room, and the junction with it, is up to 1 K away.
    return {
        "saturation_current": diode.saturation_current_at(STATED_AMBIENT_C),
        "ideality_factor": diode.ideality_factor,
        "series_resistance": diode.series_resistance_ohm,
    }


def _resistor(bench: SimulatedBench) -> dict[str, float]:
    # The first step's mean R ("resistance") is left out: its truth is R at the chamber's true air temperature
    # during that step, which the bench does not keep. Its budget is the meter's, as R0's is.
    resistor = bench.truth("FX-RESISTOR")
    assert isinstance(resistor, Resistor)
    return {"resistance_at_reference": resistor.resistance_ohm(25.0), "temperature_coefficient": resistor.alpha_per_k}


def _step(bench: SimulatedBench) -> dict[str, float]:
    # The procedure left the generator's output off; on again, with the levels it set, the scope sees the step
    # it measured (the generator's own amplitude error included).
    with use_instrument("agilent33500", bench.resource("AWG-01")) as generator:
        generator.instrument.output = True
    circuit = bench.circuit_truth("FX-RC")
    return {
        "time_constant": circuit.time_constant_s,
        "rise_time": circuit.rise_time_s,
        "overshoot": 0.0,
        "step_amplitude": circuit.step_v,
    }


def _capacitor(bench: SimulatedBench) -> dict[str, float]:
    capacitor = bench.truth("FX-CAPACITOR")
    assert isinstance(capacitor, Capacitor)
    truths = {}
    for frequency in (100, 1000, 10_000, 100_000):
        truths[f"capacitance_{frequency}Hz"] = capacitor.parallel_capacitance_f(frequency)
        truths[f"dissipation_factor_{frequency}Hz"] = capacitor.dissipation_factor(frequency)
    return truths


TRUTHS: dict[str, Truths] = {"DIODE-IV": _diode, "RES-4W-TCR": _resistor, "STEP-RISE": _step, "CAP-CD": _capacitor}


def _quick_chamber(spec: BenchSpec) -> BenchSpec:
    """The bench with a chamber that settles in 0.02 s: how long a step waits, nothing a budget depends on."""
    instruments = tuple(
        dataclasses.replace(i, options={**i.options, "time_constant_s": 0.02}) if i.driver == "watlow_f4t" else i
        for i in spec.instruments
    )
    return dataclasses.replace(spec, instruments=instruments)


def _runs(code: str, directory: Path) -> Iterator[tuple[dict[str, Metric], dict[str, float]]]:
    for seed in SEEDS:
        with SimulatedBench(_quick_chamber(draw_bench(seed)), base_port=0) as bench:
            metrics = measure(bench, code, directory / f"{code}-{seed}.h5", **PARAMETERS[code])
            yield metrics, TRUTHS[code](bench)


@pytest.mark.parametrize("code", list(TRUTHS))
def test_the_stated_uncertainty_covers_the_truth_in_95_percent_of_drawn_benches(code: str, tmp_path: Path) -> None:
    covered: dict[str, int] = {}
    ratios: dict[str, list[float]] = {}
    runs = 0
    for metrics, truths in _runs(code, tmp_path):
        runs += 1
        for name, truth in truths.items():
            metric = metrics[name]
            error = abs(metric.value - truth)
            covered[name] = covered.get(name, 0) + (error <= metric.expanded_uncertainty)
            ratios.setdefault(name, []).append(metric.expanded_uncertainty / error if error else math.inf)
    print(f"\n{code}: coverage over {runs} drawn benches, and the median U/|error|")  # noqa: T201
    for name, hits in covered.items():
        print(f"  {name:<28} {hits / runs:6.1%}   {statistics.median(ratios[name]):8.2f}")  # noqa: T201
    assert runs == len(SEEDS)
    short = {name: hits / runs for name, hits in covered.items() if hits / runs < REQUIRED_COVERAGE}
    assert short == {}, f"{code}: the stated U covers the truth less often than 95 %: {short}"

"""Benches whose devices are drawn across the range the lab sees: for tests that must hold for any device.

.. code-block:: python

    spec = draw_bench(7)                          # the demo bench, its DUTs drawn, a bench seed of its own
    with SimulatedBench(spec, base_port=0) as bench:
        diode = bench.truth("FX-DIODE")           # the drawn diode
        step = bench.circuit_truth("SCOPE-01")    # the drawn RC network as the scope sees it

Each draw seed gives other device values and another bench seed, so other instrument errors too (every unit
draws its gain and offset errors from the bench seed). Values spanning decades are drawn log-uniformly, the others
uniformly, within :data:`DRAW_RANGES`. The RC network's R and C are drawn so that ``tau = R × C`` also lies within
:data:`RC_TIME_CONSTANT_RANGE_S`: the STEP-RISE method's default time base (100 µs/div, 500 µs after the edge on
screen) then shows the step to at least 96 % of its final level and both of its 10 % and 90 % crossings; a test
drawing outside that range must set the time base from tau itself. Fields not drawn (noise, leads) keep the base
bench's values, the noise scaled with the value where it is a resistance. The room's air is drawn within
:data:`AMBIENT_HALF_WIDTH_K` of the base bench's ambient temperature, which stays what an engineer would state.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from instruments.sim.config import BenchSpec, load_bench_spec
from instruments.sim.duts import DeviceUnderTest, Diode, RCNetwork, Resistor

__all__ = ["AMBIENT_HALF_WIDTH_K", "DRAW_RANGES", "LOG_UNIFORM", "RC_TIME_CONSTANT_RANGE_S", "draw_bench"]

#: Where each kind of DUT's drawn values lie, (low, high) in the field's units.
DRAW_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "diode": {
        "saturation_current_a": (1e-12, 1e-8),
        "ideality_factor": (1.0, 2.0),
        "series_resistance_ohm": (0.1, 2.0),
    },
    "resistor": {"r0_ohm": (100.0, 10e3), "alpha_per_k": (0.0035, 0.0040)},
    "rc_network": {"resistance_ohm": (1e3, 20e3), "capacitance_f": (1e-9, 100e-9)},
    "capacitor": {"capacitance_f": (10e-9, 1e-6), "loss_tangent": (0.001, 0.03), "esr_ohm": (0.01, 0.2)},
}
#: The fields drawn log-uniformly (they span a decade or more); the others are uniform.
LOG_UNIFORM = frozenset(
    {"saturation_current_a", "series_resistance_ohm", "r0_ohm", "resistance_ohm", "capacitance_f", "loss_tangent",
     "esr_ohm"}
)  # fmt: skip
#: How far the room's air may be from the ambient temperature the base bench states, in K.
AMBIENT_HALF_WIDTH_K = 1.0
#: The RC network's time constant R × C stays within this, in s.
RC_TIME_CONSTANT_RANGE_S = (20e-6, 150e-6)
_DRAW_STREAM = 0x44524157  # keeps device draws apart from any other use of the same seed


def draw_bench(seed: int, base: BenchSpec | None = None) -> BenchSpec:
    """Get ``base`` (the demo bench if None) with every DUT's values drawn and a bench seed drawn from ``seed``.

    Args:
        seed: The draw; the same seed gives the same bench.
        base: The bench whose instruments and fixtures to keep.
    """
    spec = base if base is not None else load_bench_spec()
    rng = np.random.default_rng([seed & 0xFFFF_FFFF_FFFF_FFFF, _DRAW_STREAM])
    bench_seed = int(rng.integers(0, 2**31 - 1))
    fixtures = tuple(
        dataclasses.replace(fixture, dut=_drawn(fixture.dut, rng)) if fixture.dut is not None else fixture
        for fixture in spec.fixtures
    )
    # The room's air, which a fixture without a chamber sits in, is within ±1 K of what the lab's thermometer says
    # (the base bench's figure, which an engineer states as the ambient temperature).
    ambient = spec.ambient_temperature_c + float(rng.uniform(-AMBIENT_HALF_WIDTH_K, AMBIENT_HALF_WIDTH_K))
    return dataclasses.replace(spec, seed=bench_seed, fixtures=fixtures, ambient_temperature_c=ambient)


def _value(rng: np.random.Generator, kind: str, name: str) -> float:
    low, high = DRAW_RANGES[kind][name]
    if name in LOG_UNIFORM:
        return float(math.exp(rng.uniform(math.log(low), math.log(high))))
    return float(rng.uniform(low, high))


def _drawn(dut: DeviceUnderTest, rng: np.random.Generator) -> DeviceUnderTest:
    if isinstance(dut, Diode):
        values = {name: _value(rng, "diode", name) for name in DRAW_RANGES["diode"]}
        label = "drawn diode: Is {saturation_current_a:.3g} A, n {ideality_factor:.3f}"
        label += ", Rs {series_resistance_ohm:.3g} Ω"
        return dataclasses.replace(dut, label=label.format(**values), **values)
    if isinstance(dut, Resistor):
        r0, alpha = _value(rng, "resistor", "r0_ohm"), _value(rng, "resistor", "alpha_per_k")
        label = f"drawn resistor: R0 {r0:.5g} Ω, alpha {alpha:.5f} /K"
        noise_ohm = dut.noise_ohm * r0 / dut.r0_ohm
        return dataclasses.replace(dut, label=label, r0_ohm=r0, alpha_per_k=alpha, noise_ohm=noise_ohm)
    if isinstance(dut, RCNetwork):
        return _drawn_network(dut, rng)
    values = {name: _value(rng, "capacitor", name) for name in DRAW_RANGES["capacitor"]}
    label = "drawn capacitor: C {capacitance_f:.3g} F, tan delta {loss_tangent:.3g}, ESR {esr_ohm:.3g} Ω"
    return dataclasses.replace(dut, label=label.format(**values), **values)


def _drawn_network(dut: RCNetwork, rng: np.random.Generator) -> RCNetwork:
    """R drawn in its range, then C within its range where R × C is within the time-constant range."""
    resistance = _value(rng, "rc_network", "resistance_ohm")
    c_low, c_high = DRAW_RANGES["rc_network"]["capacitance_f"]
    tau_low, tau_high = RC_TIME_CONSTANT_RANGE_S
    low, high = max(c_low, tau_low / resistance), min(c_high, tau_high / resistance)
    capacitance = float(math.exp(rng.uniform(math.log(low), math.log(high))))
    label = f"drawn RC network: {resistance:.4g} Ω, {capacitance:.4g} F"
    return dataclasses.replace(dut, label=label, resistance_ohm=resistance, capacitance_f=capacitance)

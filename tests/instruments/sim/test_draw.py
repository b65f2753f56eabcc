"""Drawn benches: the demo bench with its devices drawn across their range, and a bench seed of their own."""

from __future__ import annotations

import pytest

from instruments.sim import Capacitor, Diode, RCNetwork, Resistor, SimulatedBench, draw_bench, load_bench_spec
from instruments.sim.draw import AMBIENT_HALF_WIDTH_K, DRAW_RANGES, RC_TIME_CONSTANT_RANGE_S

SEEDS = range(60)


def _parallel(a: float, b: float) -> float:
    return a * b / (a + b)


def _within(value: float, bounds: tuple[float, float]) -> bool:
    low, high = bounds
    return low * (1 - 1e-12) <= value <= high * (1 + 1e-12)


@pytest.mark.unit
def test_every_drawn_device_lies_within_its_range_and_the_rc_time_constant_within_its_own() -> None:
    for seed in SEEDS:
        for fixture in draw_bench(seed).fixtures:
            dut = fixture.dut
            if isinstance(dut, Diode):
                kind = "diode"
            elif isinstance(dut, Resistor):
                kind = "resistor"
            elif isinstance(dut, RCNetwork):
                kind = "rc_network"
                assert _within(dut.time_constant_s, RC_TIME_CONSTANT_RANGE_S)
            else:
                assert isinstance(dut, Capacitor)
                kind = "capacitor"
            for name, bounds in DRAW_RANGES[kind].items():
                assert _within(getattr(dut, name), bounds), (seed, kind, name)


@pytest.mark.unit
def test_a_draw_is_reproducible_and_two_draws_differ_in_devices_and_bench_seed() -> None:
    assert draw_bench(5) == draw_bench(5)
    first, second = draw_bench(5), draw_bench(6)
    assert first.seed != second.seed
    assert first.seed != load_bench_spec().seed
    assert all(a.dut != b.dut for a, b in zip(first.fixtures, second.fixtures, strict=True))
    # The instruments and the fixtures' cabling are the base bench's.
    assert first.instruments == load_bench_spec().instruments
    assert [f.instruments for f in first.fixtures] == [f.instruments for f in load_bench_spec().fixtures]


@pytest.mark.unit
def test_the_draws_cover_each_range_not_one_corner_of_it() -> None:
    ideality = [next(f.dut for f in draw_bench(s).fixtures if isinstance(f.dut, Diode)).ideality_factor for s in SEEDS]
    assert min(ideality) < 1.2
    assert max(ideality) > 1.8


@pytest.mark.integration
def test_a_drawn_bench_serves_its_drawn_devices_and_their_in_circuit_truth() -> None:
    spec = draw_bench(11)
    with SimulatedBench(spec, base_port=0) as bench:
        network = bench.truth("FX-RC")
        assert isinstance(network, RCNetwork)
        assert network == next(f.dut for f in spec.fixtures if f.name == "FX-RC")
        circuit = bench.circuit_truth("SCOPE-01")
        # Through a 50 Ω ± 2 % source, loaded by 1 MΩ ± 1 % and 14 pF ± 15 %.
        r, c = network.resistance_ohm, network.capacitance_f
        shortest = _parallel(r + 49.0, 0.99e6) * (c + 14e-12 * 0.85)
        longest = _parallel(r + 51.0, 1.01e6) * (c + 14e-12 * 1.15)
        assert shortest <= circuit.time_constant_s <= longest


def test_the_rooms_air_is_drawn_within_a_kelvin_of_the_ambient_an_engineer_states() -> None:
    stated = load_bench_spec().ambient_temperature_c
    ambients = [draw_bench(seed).ambient_temperature_c for seed in range(40)]
    assert all(abs(a - stated) <= AMBIENT_HALF_WIDTH_K for a in ambients)
    assert max(ambients) - min(ambients) > AMBIENT_HALF_WIDTH_K  # it does vary across draws

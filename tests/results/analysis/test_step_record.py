"""The chunked step-response analysis: the full-resolution analysis's results from a record read chunk by chunk,
in memory that does not grow with the record."""

from __future__ import annotations

import importlib
import math
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from results.analysis.model import Metric
from results.analysis.step_passes import bin_means, first_crossing, moving_averages
from results.analysis.step_record import step_response_of
from results.analysis.step_response import first_order_step, moving_average, step_response
from results.analysis.waveform import ChunkCache, RecordMean, SampledArray
from results.hdf5 import RunData, RunFileWriter
from tests.resident import MIB, resident_growth
from tests.results.hdf5.factories import make_entry, make_instruments, make_parameters, make_sample

pytestmark = pytest.mark.unit

#: A DSOX3024T record of the demo RC network: 10 divisions of 100 µs, the step at 0, 2 mV of noise, int16 codes.
TAU_S = 1e-4
CODE_V = 8 * (1 / 6) / 65536


def _scope_codes(points: int, seed: int, baseline: float = 0.1) -> tuple[np.ndarray, float, float]:
    """Raw codes of one record, its t0 and dt (volts = codes * CODE_V + 0.5)."""
    dt, t0 = 1e-3 / points, -5e-4
    volts = first_order_step(t0 + dt * np.arange(points), baseline, 1.0, 0.0, TAU_S)
    volts += np.random.default_rng(seed).normal(0.0, 0.002, points)
    return np.rint((volts - 0.5) / CODE_V).astype(np.int16), t0, dt


def test_on_a_million_point_record_the_chunked_analysis_agrees_with_the_full_resolution_one() -> None:
    codes, t0, dt = _scope_codes(1_000_000, seed=4)
    volts = codes * CODE_V + 0.5

    full = step_response(t0 + dt * np.arange(volts.size), volts)
    chunked = step_response_of(SampledArray(volts, t0, dt))

    for name, metric in full.items():
        assert chunked[name].units == metric.units
        assert abs(chunked[name].value - metric.value) <= 0.02 * metric.expanded_uncertainty, name
        assert chunked[name].expanded_uncertainty == pytest.approx(metric.expanded_uncertainty, rel=0.01), name


def test_a_record_no_longer_than_the_bins_is_fitted_sample_by_sample_as_the_full_resolution_analysis_fits_it() -> None:
    codes, t0, dt = _scope_codes(20_000, seed=2)
    volts = codes * CODE_V + 0.5

    full = step_response(t0 + dt * np.arange(volts.size), volts)
    chunked = step_response_of(SampledArray(volts, t0, dt))

    for name, metric in full.items():
        assert chunked[name].value == pytest.approx(metric.value, rel=1e-6, abs=1e-3 * metric.expanded_uncertainty)
        assert chunked[name].expanded_uncertainty == pytest.approx(metric.expanded_uncertainty, rel=1e-4)


def test_a_time_constant_of_a_few_bins_is_fitted_without_bias() -> None:
    # 4 M samples in 32768 bins of 123: tau spans fewer than two bins; the model is averaged over each bin.
    t = -8e5 + np.arange(4_000_000, dtype=np.float64)
    clean = first_order_step(t, 0.3, 1.0, 0.5, 200.0)

    metrics = step_response_of(SampledArray(clean, float(t[0]), 1.0))

    assert metrics["time_constant"].value == pytest.approx(200.0, rel=1e-9)
    assert metrics["step_amplitude"].value == pytest.approx(1.0, rel=1e-9)
    assert metrics["rise_time"].value == pytest.approx(200.0 * math.log(9.0), abs=1.0)  # a sample interval


def test_the_fits_own_uncertainty_is_a_type_a_line_of_each_metrics_budget() -> None:
    codes, t0, dt = _scope_codes(100_000, seed=1)

    metrics = step_response_of(SampledArray(codes * CODE_V + 0.5, t0, dt))

    for metric in metrics.values():
        assert metric.budget[0].evaluation == "A"
        assert metric.budget[0].degrees_of_freedom == 100_000 - 4
    assert [c.evaluation for c in metrics["rise_time"].budget] == ["A", "B"]  # the sample interval: type B


def _write_records(path: Path, points: int, records: int) -> None:
    writer = RunFileWriter.create(path, make_entry(), make_sample(), make_instruments(), make_parameters())
    for n in range(records):
        codes, t0, dt = _scope_codes(points, seed=n, baseline=0.0)
        writer.append_waveform(f"step_{n + 1}", codes, scale=CODE_V, offset=0.5, t0=t0, dt=dt, y_units="V")
    writer.close()


def _analysed_with_peak_memory(path: Path) -> tuple[dict[str, Metric], int]:
    tracemalloc.start()
    try:
        with RunData.open(path) as data:
            metrics = step_response_of(RecordMean([data.waveform(name) for name in data.waveform_names]))
        return metrics, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_analysing_three_4m_point_records_from_a_run_file_holds_a_few_chunks_not_the_records(tmp_path: Path) -> None:
    _write_records(tmp_path / "short.h5", 250_000, 1)
    _write_records(tmp_path / "long.h5", 4_000_000, 3)
    importlib.import_module("scipy.optimize")  # loaded before measuring: a station loads it once

    _, short_peak = _analysed_with_peak_memory(tmp_path / "short.h5")
    metrics, long_peak = _analysed_with_peak_memory(tmp_path / "long.h5")

    assert long_peak < 0.4 * 4_000_000 * 8  # the mean record as float64 would be 32 MB; three records' codes 24 MB
    assert long_peak < short_peak + (1 << 20)  # sixteen times the length, three times the records: no more memory
    assert abs(metrics["time_constant"].value - TAU_S) <= metrics["time_constant"].expanded_uncertainty


def test_analysing_twelve_records_holds_no_more_resident_memory_than_analysing_one(tmp_path: Path) -> None:
    # What HDF5 holds (a chunk cache per open record) is outside tracemalloc's view: Linux's count of it is.
    _write_records(tmp_path / "one.h5", 2_000_000, 1)
    _write_records(tmp_path / "twelve.h5", 2_000_000, 12)
    importlib.import_module("scipy.optimize")
    _analysed_with_peak_memory(tmp_path / "one.h5")  # the first analysis's own allocations are not the records'

    with resident_growth() as one:
        _analysed_with_peak_memory(tmp_path / "one.h5")
    with resident_growth() as twelve:
        _analysed_with_peak_memory(tmp_path / "twelve.h5")

    assert twelve.peak < one.peak + 16 * MIB  # twelve 4 MB records, read chunk by chunk, none of them kept


@pytest.mark.parametrize("window", [1, 5, 1000, 3000])
def test_moving_averages_read_chunk_by_chunk_are_the_whole_records(window: int) -> None:
    y = np.random.default_rng(window).normal(1.0, 0.01, 10_000)
    cache = ChunkCache(SampledArray(y, 0.0, 1.0), chunk_points=700, keep=3)

    pieces = list(moving_averages(cache, window, start=123))

    assert all(values.size <= 700 for _, values in pieces)
    np.testing.assert_allclose(np.concatenate([v for _, v in pieces]), moving_average(y, window)[123:], rtol=1e-12)


def test_a_crossing_is_interpolated_between_window_centres_from_any_start() -> None:
    y = np.clip(np.arange(1000.0) / 500.0, 0.0, 1.0)
    cache = ChunkCache(SampledArray(y, 10.0, 0.5), chunk_points=64)

    crossing = first_crossing(cache, window=11, level=0.401, sign=1.0, start=20)

    assert crossing is not None
    # The mean of 11 samples from p is (p + 5) / 500: it reaches 0.401 at p = 195.5, centred 5 samples later.
    assert crossing.position == 196
    assert crossing.time == pytest.approx(10.0 + 0.5 * (195.5 + 5))
    assert first_crossing(cache, window=11, level=2.0, sign=1.0) is None


def test_bins_hold_every_samples_mean_and_the_spread_about_it() -> None:
    y = np.random.default_rng(0).normal(size=1001)

    bins = bin_means(SampledArray(y, 0.0, 1.0), max_bins=100, chunk_points=64)

    assert (bins.size, bins.samples, bins.mean.size) == (11, 1001, 91)
    edges = np.arange(0, 1001, 11)
    np.testing.assert_allclose(bins.mean, np.add.reduceat(y, edges) / np.diff(np.append(edges, 1001)))
    expected = sum(float(np.sum((y[a : a + 11] - y[a : a + 11].mean()) ** 2)) for a in edges)
    assert bins.spread == pytest.approx(expected)


def test_records_of_different_time_axes_are_not_averaged() -> None:
    one = SampledArray(np.zeros(10), 0.0, 1.0)
    with pytest.raises(ValueError, match="share length"):
        RecordMean([one, SampledArray(np.zeros(10), 0.0, 2.0)])
    mean = RecordMean([one, SampledArray(np.full(10, 2.0), 0.0, 1.0)])
    np.testing.assert_array_equal(mean.read(2, 5), [1.0, 1.0, 1.0])

"""Min/max previews: every bucket's extremes, read chunk by chunk or from the stored pyramid."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

from results.hdf5 import InvalidRunDataError, RunFileWriter, preview
from results.hdf5.buckets import bucket_edges

pytestmark = pytest.mark.unit

NewWriter = Callable[..., RunFileWriter]


def _brute_force(values: npt.NDArray[np.float64], buckets: int) -> tuple[npt.NDArray[np.float64], ...]:
    edges = bucket_edges(values.size, buckets)
    return np.minimum.reduceat(values, edges), np.maximum.reduceat(values, edges)


def _waveform_file(new_writer: NewWriter, raw: npt.NDArray[np.int16], block: int, scale: float = 1e-3) -> RunFileWriter:
    writer = new_writer()
    for start in range(0, raw.size, block):
        writer.append_waveform(
            "ch1", raw[start : start + block], scale=scale, offset=0.5, t0=-1.0, dt=1e-3, y_units="V"
        )
    writer.close()
    return writer


def test_a_column_preview_holds_each_buckets_min_max_and_mean_x(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})
    voltage = np.linspace(0.0, 1.0, 50_001)
    current = np.random.default_rng(3).normal(size=voltage.size)
    current[12_345] = 40.0  # a spike must survive decimation
    writer.append_rows({"voltage": voltage, "current": current})
    writer.close()

    result = preview(writer.path, "current", points=200)

    expected_min, expected_max = _brute_force(current, 100)
    np.testing.assert_array_equal(result.y_min, expected_min)
    np.testing.assert_array_equal(result.y_max, expected_max)
    assert result.y_max.max() == 40.0
    edges = np.append(bucket_edges(voltage.size, 100), voltage.size)
    np.testing.assert_allclose(result.x, [voltage[a:b].mean() for a, b in itertools.pairwise(edges)])
    assert (result.x_units, result.y_units, result.series) == ("V", "A", "data/current")


def test_a_short_series_previews_every_point(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})
    writer.append_rows({"voltage": [0.0, 0.1, 0.2], "current": [1.0, 2.0, 3.0]})
    writer.close()

    result = preview(writer.path, "data/current", points=1000)

    np.testing.assert_array_equal(result.x, [0.0, 0.1, 0.2])
    np.testing.assert_array_equal(result.y_min, result.y_max)


@pytest.mark.parametrize(
    ("points", "block"),
    [(6, 65536), (20, 1024), (400, 1024), (3000, 1)],
    ids=["coarse-pyramid-level", "fine-pyramid-level", "many-buckets", "raw-samples"],
)
def test_a_waveform_preview_from_the_pyramid_equals_the_brute_force_one(
    new_writer: NewWriter, points: int, block: int
) -> None:
    raw = np.random.default_rng(points).integers(-3000, 3000, size=2_000_003).astype(np.int16)
    raw[1_234_567] = 32000
    writer = _waveform_file(new_writer, raw, block=333_333)

    result = preview(writer.path, "waveforms/ch1", points=points)

    # Buckets are whole pyramid blocks of the level the preview can use.
    edges = bucket_edges(-(-raw.size // block), points // 2) * block
    expected_min = np.minimum.reduceat(raw, edges) * 1e-3 + 0.5
    expected_max = np.maximum.reduceat(raw, edges) * 1e-3 + 0.5
    np.testing.assert_allclose(result.y_min, expected_min)
    np.testing.assert_allclose(result.y_max, expected_max)
    assert result.y_max.max() == pytest.approx(32.5)
    centres = (edges + np.append(edges[1:], raw.size) - 1) / 2
    np.testing.assert_allclose(result.x, -1.0 + 1e-3 * centres)
    assert result.source_points == raw.size


def test_a_negative_scale_factor_keeps_min_below_max(new_writer: NewWriter) -> None:
    raw = np.array([0, 10, -10, 5] * 1000, dtype=np.int16)
    writer = _waveform_file(new_writer, raw, block=1000, scale=-0.1)

    result = preview(writer.path, "ch1", points=4)

    np.testing.assert_allclose(result.y_min, -0.5)
    np.testing.assert_allclose(result.y_max, 1.5)


def test_the_polyline_draws_each_bucket_as_min_then_max(new_writer: NewWriter) -> None:
    raw = np.arange(4096, dtype=np.int16)
    writer = _waveform_file(new_writer, raw, block=4096, scale=1.0)

    x, y = preview(writer.path, "ch1", points=4).polyline()

    assert x.size == y.size == 4
    np.testing.assert_allclose(y, np.array([0, 2047, 2048, 4095]) + 0.5)


def test_an_unknown_or_ambiguous_series_is_refused(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"ch1": "V", "current": "A"})
    writer.append_rows({"ch1": [1.0], "current": [2.0]})
    writer.append_waveform("ch1", np.zeros(3, dtype=np.int16), scale=1.0, offset=0.0, t0=0.0, dt=1.0, y_units="V")
    writer.close()

    with pytest.raises(InvalidRunDataError, match="ambiguous"):
        preview(writer.path, "ch1")
    with pytest.raises(InvalidRunDataError, match="not in the file"):
        preview(writer.path, "power")
    assert preview(writer.path, "waveforms/ch1").source_points == 3

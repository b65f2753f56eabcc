"""The min/max pyramid agrees with a brute-force reduction however the samples arrive."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from results.hdf5.streams import MinMaxPyramid

pytestmark = pytest.mark.unit


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=700), min_size=1, max_size=12),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_every_pyramid_row_is_the_min_and_max_of_its_block(tmp_path: Path, sizes: list[int], seed: int) -> None:
    raw = np.random.default_rng(seed).integers(-500, 500, size=sum(sizes)).astype(np.int16)
    with h5py.File(tmp_path / f"pyramid-{seed}-{len(sizes)}.h5", "w") as file:
        pyramid = MinMaxPyramid(file.create_group("p"), raw.dtype, (16, 64))
        start = 0
        for size in sizes:
            pyramid.feed(raw[start : start + size])
            start += size
        pyramid.finish()
        for block in (16, 64):
            rows = file[f"p/minmax_{block}"][()]
            edges = np.arange(0, raw.size, block)
            assert rows.shape == (edges.size, 2)
            if raw.size:
                np.testing.assert_array_equal(rows[:, 0], np.minimum.reduceat(raw, edges))
                np.testing.assert_array_equal(rows[:, 1], np.maximum.reduceat(raw, edges))

"""Fixtures for the HDF5 store tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from results.hdf5 import RunFileWriter
from tests.results.hdf5.factories import make_entry, make_instruments, make_parameters, make_sample


@pytest.fixture
def new_writer(tmp_path: Path) -> Callable[..., RunFileWriter]:
    """Build a writer for a fresh file in tmp_path (keyword arguments go to ``RunFileWriter.create``)."""

    def build(name: str = "run.h5", **options: object) -> RunFileWriter:
        return RunFileWriter.create(
            tmp_path / name, make_entry(), make_sample(), make_instruments(), make_parameters(), **options
        )

    return build

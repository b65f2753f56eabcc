"""A run file ends with its final status and end time, and its digest is the SHA-256 of its bytes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import h5py
import pytest

from results.hdf5 import RunStatus
from results.hdf5.run_file import create_run_file
from results.hdf5.sealing import seal_run_file, write_run_end
from tests.results.hdf5.factories import make_entry, make_instruments, make_parameters, make_sample

pytestmark = pytest.mark.unit


def test_the_end_of_a_run_is_its_status_and_end_time_and_the_seal_is_the_files_sha256(tmp_path: Path) -> None:
    target = tmp_path / "run.h5"
    with create_run_file(target, make_entry(), make_sample(), make_instruments(), make_parameters()) as file:
        write_run_end(file, RunStatus.ABORTED, datetime(2025, 3, 4, 6, 0, tzinfo=UTC))

    digest = seal_run_file(target)

    with h5py.File(target, "r") as file:
        assert file["entry/status"].asstr()[()] == "aborted"
        assert file["entry/end_time"].asstr()[()].startswith("2025-03-04T06:00:00")
    assert digest == hashlib.sha256(target.read_bytes()).hexdigest()

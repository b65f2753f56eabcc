"""A run file is made whole with its metadata, or not at all."""

from __future__ import annotations

from pathlib import Path

import h5py
import pytest

from results.hdf5 import InvalidRunDataError, Quantity
from results.hdf5.run_file import create_run_file, reopen_run_file
from tests.results.hdf5.factories import make_entry, make_instruments, make_parameters, make_sample

pytestmark = pytest.mark.unit


def test_a_new_run_file_says_running_and_holds_its_metadata(tmp_path: Path) -> None:
    target = tmp_path / "run.h5"

    create_run_file(target, make_entry(), make_sample(), make_instruments(), make_parameters()).close()

    with h5py.File(target, "r") as file:
        assert file["entry/status"].asstr()[()] == "running"
        assert file["entry/sample/name"].asstr()[()] == "S-17"


def test_a_run_file_whose_metadata_cannot_be_written_is_not_left_behind(tmp_path: Path) -> None:
    target = tmp_path / "run.h5"
    parameters = {"bad/name": Quantity(1.0, "V")}

    with pytest.raises(InvalidRunDataError):
        create_run_file(target, make_entry(), make_sample(), make_instruments(), parameters)

    assert not target.exists()


def test_a_run_file_re_opens_for_writing(tmp_path: Path) -> None:
    target = tmp_path / "run.h5"
    create_run_file(target, make_entry(), make_sample(), make_instruments(), make_parameters()).close()

    with reopen_run_file(target) as file:
        file["entry"].attrs["note"] = "added"

    with h5py.File(target, "r") as file:
        assert file["entry"].attrs["note"] == "added"

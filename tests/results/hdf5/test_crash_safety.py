"""A station killed with SIGKILL mid-run leaves a file that stock tools open, with every flushed block."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import h5py
import numpy as np
import pytest

from results.hdf5 import open_run, preview, read_unfinished, sha256_file
from tests.results.hdf5.crash_writer import expected_rows, expected_waveform
from tests.results.hdf5.factories import h5dump_header

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]


def _write_then_kill(path: Path, commits_before_kill: int) -> tuple[int, int]:
    """Start the crash writer, wait for some commits, SIGKILL it; return the last reported counts."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.results.hdf5.crash_writer", str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    last = (0, 0)
    try:
        for _ in range(commits_before_kill):
            line = process.stdout.readline()
            assert line, "the writer stopped before it was killed"
            rows, points = line.split()
            last = (int(rows), int(points))
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    return last


@pytest.mark.parametrize("commits_before_kill", [3, 12])
def test_a_killed_writer_leaves_every_committed_block_intact(tmp_path: Path, commits_before_kill: int) -> None:
    path = tmp_path / "killed.h5"
    committed_rows, committed_points = _write_then_kill(path, commits_before_kill)

    with h5py.File(path, "r") as file:
        voltage = file["entry/data/voltage"][()]
        current = file["entry/data/current"][()]
        raw = file["entry/waveforms/ch1/raw"][()]
        assert file["entry/status"].asstr()[()] == "running"

    assert committed_rows > 0
    assert committed_points > 0
    assert voltage.size >= committed_rows
    assert raw.size >= committed_points
    np.testing.assert_array_equal(voltage, expected_rows(voltage.size))
    np.testing.assert_array_equal(current[: voltage.size], expected_rows(voltage.size) * 2.0)
    np.testing.assert_array_equal(raw, expected_waveform(raw.size))


def test_a_killed_run_file_opens_in_h5dump_and_the_reader_sees_it_running(tmp_path: Path) -> None:
    path = tmp_path / "killed.h5"
    _write_then_kill(path, 5)

    header = h5dump_header(path)
    info = open_run(path)

    assert 'GROUP "ch1"' in header
    assert info.status == "running"
    assert "end_time" not in info.entry


def test_a_killed_run_file_previews_every_flushed_sample(tmp_path: Path) -> None:
    path = tmp_path / "killed.h5"
    _write_then_kill(path, 7)
    with h5py.File(path, "r") as file:
        raw = file["entry/waveforms/ch1/raw"][()]

    result = preview(path, "ch1", points=40)

    assert result.source_points == raw.size
    assert result.y_min.min() == pytest.approx(raw.min() * 1e-3)
    assert result.y_max.max() == pytest.approx(raw.max() * 1e-3)
    assert not np.isnan(result.y_min).any()


def test_a_killed_writer_s_file_says_what_it_holds_and_when_its_last_block_was_written(tmp_path: Path) -> None:
    path = tmp_path / "killed.h5"
    started = datetime.now(UTC)
    committed_rows, committed_points = _write_then_kill(path, 6)
    killed = datetime.now(UTC)

    left = read_unfinished(path)

    assert left.status == "running"
    assert left.points["data/voltage"] == left.points["data/current"] >= committed_rows
    assert left.points["waveforms/ch1"] >= committed_points
    assert left.last_block_time is not None
    assert started <= left.last_block_time <= killed
    assert left.sha256 == sha256_file(path)

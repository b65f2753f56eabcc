"""Reading a run file back: metadata, columns, scaled waveforms, and the bytes for download."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from results.analysis.decision import assess
from results.analysis.model import DecisionRule, Metric, SpecLimits
from results.hdf5 import (
    InvalidRunDataError,
    Quantity,
    RunFileWriter,
    iter_file_chunks,
    open_run,
    read_column,
    read_waveform,
)

pytestmark = pytest.mark.unit

NewWriter = Callable[..., RunFileWriter]


def test_open_run_returns_metadata_columns_waveforms_and_verdicts(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})
    writer.append_rows(np.ones((7, 2)))
    writer.append_waveform("ch1", np.zeros(9, dtype=np.int16), scale=5e-4, offset=0.25, t0=-2e-6, dt=1e-9, y_units="V")
    metric = Metric("ideality_factor", 1.9, 0.05, 2.0, "1")
    writer.write_analysis(
        [metric], assess({metric.name: metric}, {metric.name: SpecLimits(None, 1.8, "1")}, DecisionRule.SIMPLE)
    )
    writer.close()

    info = open_run(writer.path)

    assert info.status == "completed"
    assert info.entry["run_id"] == "RUN-0001"
    assert info.sample["description"] == "1N4148 small-signal diode"
    assert info.instruments["SCOPE-03"]["model"] == "DSOX1102G"
    assert info.parameters["nplc"] == Quantity(1.23456789012345, "1")
    assert info.parameters["points"] == Quantity(161, "1")
    assert [(c.name, c.units, c.length) for c in info.columns] == [("voltage", "V", 7), ("current", "A", 7)]
    assert (info.axis, info.signal) == ("voltage", "current")
    (wave,) = info.waveforms
    assert (wave.name, wave.length, wave.raw_dtype, wave.scale_factor, wave.add_offset) == (
        "ch1",
        9,
        "int16",
        5e-4,
        0.25,
    )
    assert (wave.t0, wave.dt, wave.units, wave.time_units) == (-2e-6, 1e-9, "V", "s")
    assert info.metrics == {"ideality_factor": metric}
    assert (info.verdict, info.decision_rule, info.metric_verdicts) == ("fail", "simple", {"ideality_factor": "fail"})


def test_read_waveform_returns_physical_values_and_their_times(new_writer: NewWriter) -> None:
    writer = new_writer()
    raw = np.array([-100, 0, 100, 200], dtype=np.int16)
    writer.append_waveform("ch1", raw, scale=0.01, offset=1.0, t0=5.0, dt=0.5, y_units="V", t_units="ms")
    writer.close()

    t, y = read_waveform(writer.path, "ch1", start=1)

    np.testing.assert_allclose(y, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(t, [5.5, 6.0, 6.5])


def test_read_column_returns_the_values_written(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})
    writer.append_rows({"voltage": [0.1, 0.7], "current": [3e-12, 4.5e-3]})
    writer.close()

    np.testing.assert_array_equal(read_column(writer.path, "current"), [3e-12, 4.5e-3])
    with pytest.raises(InvalidRunDataError, match="no data column"):
        read_column(writer.path, "power")


def test_iter_file_chunks_streams_the_exact_bytes_in_bounded_pieces(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.append_waveform(
        "ch1", np.arange(200_000, dtype=np.int32), scale=1.0, offset=0.0, t0=0.0, dt=1.0, y_units="V"
    )
    writer.close()

    pieces = list(iter_file_chunks(writer.path, chunk_size=64 * 1024))

    assert b"".join(pieces) == writer.path.read_bytes()
    assert max(len(piece) for piece in pieces) <= 64 * 1024
    with pytest.raises(ValueError, match="positive"):
        next(iter_file_chunks(writer.path, chunk_size=0))

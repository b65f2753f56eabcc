"""A run ends in three steps: its data closed and readable, its analysis added as an NXprocess, its status written
and the file hashed; the analysis reads back with its program, inputs and budgets, and older files still read."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime

import h5py
import numpy as np
import pytest

from results.analysis.budget import Contribution
from results.analysis.decision import assess
from results.analysis.model import DecisionRule, Metric, SpecLimits
from results.hdf5 import (
    AnalysisProcess,
    InvalidRunDataError,
    Quantity,
    RunData,
    RunFileError,
    RunFileWriter,
    open_run,
    sha256_file,
)
from tests.results.hdf5.factories import h5dump_header

pytestmark = pytest.mark.unit

NewWriter = Callable[..., RunFileWriter]

PROCESS = AnalysisProcess(
    program="labsys.stations.analyses.analyse_step",
    version="0.4.0",
    date=datetime(2025, 3, 4, 6, 0, tzinfo=UTC),
    parameters={"records": Quantity(3.0, "1"), "amplitude": Quantity(1.0, "V")},
    constants={"moving_average_of_tau": Quantity(0.1, "1")},
)

TAU = Metric.from_budget(
    "time_constant",
    1.0e-4,
    [Contribution.type_a("first-order fit", 2e-9, 1e6), Contribution.rectangular("sample interval", 1e-9)],
    "s",
)


def _finished(new_writer: NewWriter) -> RunFileWriter:
    writer = new_writer()
    writer.append_waveform("step_1", np.arange(100, dtype=np.int16), scale=0.01, offset=0.0, t0=0.0, dt=1e-6,
                           y_units="V")  # fmt: skip
    writer.finish_data(end_time=datetime(2025, 3, 4, 5, 59, tzinfo=UTC))
    return writer


def test_finished_data_is_readable_before_the_analysis_and_the_status_are_written(new_writer: NewWriter) -> None:
    writer = _finished(new_writer)

    with RunData.open(writer.path) as data:
        assert data.waveform("step_1").read(0, 3).tolist() == [0.0, 0.01, 0.02]
    assert open_run(writer.path).status == "running"  # a station killed now leaves an unfinished run
    with pytest.raises(RunFileError, match="finished"):
        writer.append_waveform("step_2", np.zeros(3, dtype=np.int16), scale=1.0, offset=0.0, t0=0.0, dt=1.0,
                               y_units="V")  # fmt: skip

    writer.write_analysis([TAU], None, PROCESS)
    digest = writer.close()

    info = open_run(writer.path)
    assert (info.status, info.entry["end_time"]) == ("completed", "2025-03-04T05:59:00+00:00")
    assert digest == sha256_file(writer.path)
    assert info.metrics["time_constant"].value == 1.0e-4


def test_the_analysis_is_an_nxprocess_with_its_program_version_date_and_inputs(new_writer: NewWriter) -> None:
    writer = _finished(new_writer)
    writer.write_analysis([TAU], None, PROCESS)
    writer.close()

    with h5py.File(writer.path, "r") as file:
        analysis = file["entry/analysis"]
        assert analysis.attrs["NX_class"] == "NXprocess"
        assert analysis["program"].asstr()[()] == "labsys.stations.analyses.analyse_step"
        assert analysis["parameters"].attrs["NX_class"] == "NXparameters"
        assert analysis["parameters/amplitude"].attrs["units"] == "V"
    assert open_run(writer.path).analysis_process == PROCESS


def test_a_metrics_budget_is_written_beside_it_and_reads_back_line_by_line(new_writer: NewWriter) -> None:
    writer = _finished(new_writer)
    plain = Metric("overshoot", 0.0, 0.1, 2.0, "%")
    assessment = assess({"overshoot": plain}, {"overshoot": SpecLimits(None, 5.0, "%")}, DecisionRule.SIMPLE)
    writer.write_analysis([TAU, plain], assessment, PROCESS)
    writer.close()

    info = open_run(writer.path)

    assert info.metrics["time_constant"] == TAU
    assert info.metrics["time_constant"].budget[1].degrees_of_freedom == math.inf
    assert info.metrics["overshoot"].budget == ()
    assert (info.verdict, info.metric_verdicts) == ("pass", {"overshoot": "pass"})
    with h5py.File(writer.path, "r") as file:
        budget = file["entry/analysis/time_constant_budget"]
        assert budget.attrs["units"] == "s"
        assert budget.dtype.names == (
            "source", "standard_uncertainty", "degrees_of_freedom", "evaluation", "distribution",
        )  # fmt: skip
    assert "time_constant_budget" in h5dump_header(writer.path)


def test_a_metric_named_like_a_field_of_the_process_is_refused(new_writer: NewWriter) -> None:
    writer = _finished(new_writer)

    with pytest.raises(InvalidRunDataError, match="collides"):
        writer.write_analysis([Metric("version", 1.0, 0.1, 2.0, "1")], None, PROCESS)


def test_an_analysis_written_as_a_collection_of_metrics_still_reads(new_writer: NewWriter) -> None:
    writer = _finished(new_writer)
    writer.close()
    with h5py.File(writer.path, "r+") as file:  # the layout of files written before analyses were NXprocess
        analysis = file["entry"].create_group("analysis")
        analysis.attrs.update({"NX_class": "NXcollection", "verdict": "pass", "decision_rule": "simple"})
        tau = analysis.create_dataset("time_constant", data=1.0e-4)
        tau.attrs.update({"units": "s", "expanded_uncertainty": 4e-9, "coverage_factor": 2.0, "verdict": "pass"})
        analysis.create_dataset("time_constant_errors", data=4e-9).attrs["units"] = "s"

    info = open_run(writer.path)

    assert info.metrics == {"time_constant": Metric("time_constant", 1.0e-4, 4e-9, 2.0, "s")}
    assert info.analysis_process is None
    assert info.verdict == "pass"


def test_a_run_that_failed_after_its_data_was_finished_closes_as_failed(new_writer: NewWriter) -> None:
    writer = _finished(new_writer)

    writer.close("failed")

    info = open_run(writer.path)
    assert (info.status, info.metrics) == ("failed", {})
    assert info.waveforms[0].length == 100

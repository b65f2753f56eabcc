"""The headless runner: progress, cooperative abort, failures, and a shutdown that always runs."""

from __future__ import annotations

import threading
from typing import ClassVar

import numpy as np
import pytest
from pymeasure.experiment import FloatParameter, IntegerParameter

from procedures.base import LabProcedure
from procedures.runner import Ending, run_procedure
from procedures.sink import MemorySink

pytestmark = pytest.mark.unit


class FakeSource:
    """Stands in for a source whose output must be off after every run."""

    def __init__(self) -> None:
        self.output_on = False
        self.shutdowns = 0


class Sweep(LabProcedure):
    """Sweeps a level in blocks; can be told to fail at a given block."""

    INSTRUMENT_KINDS: ClassVar[tuple[str, ...]] = ("smu",)
    level = FloatParameter("Level", units="V", default=1.0)
    blocks = IntegerParameter("Blocks", default=5)
    fail_at = IntegerParameter("Fail at block", default=-1)
    started = threading.Event()

    def startup(self) -> None:
        self.instruments["smu"].output_on = True
        self.sink.define_columns({"voltage": "V", "current": "A"}, axis="voltage", signal="current")

    def execute(self) -> None:
        for block in range(self.blocks):
            Sweep.started.set()
            if self.should_stop():
                return
            if block == self.fail_at:
                raise TimeoutError("VI_ERROR_TMO: the SMU did not answer within 2000 ms")
            voltage = np.full(10, self.level * block)
            self.sink.append_rows({"voltage": voltage, "current": voltage / 1000})
            self.report_progress(100 * (block + 1) / self.blocks)

    def shutdown(self) -> None:
        smu = self.instruments["smu"]
        smu.output_on = False
        smu.shutdowns += 1


class BrokenShutdown(Sweep):
    def shutdown(self) -> None:
        raise ConnectionResetError("connection dropped")


def _run(procedure: type[LabProcedure], **parameters: float) -> tuple[Ending, str, MemorySink, FakeSource, list[float]]:
    smu, sink, progress = FakeSource(), MemorySink(), []
    outcome = run_procedure(
        procedure,
        instruments={"smu": smu},
        parameters=parameters,
        sink=sink,
        abort=threading.Event(),
        on_progress=progress.append,
    )
    return outcome.ending, outcome.reason, sink, smu, progress


def test_a_run_completes_with_its_rows_and_progress_and_the_output_off() -> None:
    ending, reason, sink, smu, progress = _run(Sweep, blocks=4, level=0.5)
    assert (ending, reason) == (Ending.COMPLETED, "")
    assert sink.column("voltage").size == 40
    assert sink.column("voltage")[-1] == pytest.approx(1.5)
    assert progress == [25.0, 50.0, 75.0, 100.0]
    assert smu.output_on is False
    assert smu.shutdowns == 1


def test_a_failing_execute_ends_failed_with_the_reason_and_still_shuts_down() -> None:
    ending, reason, sink, smu, _ = _run(Sweep, blocks=5, fail_at=2)
    assert ending is Ending.FAILED
    assert "did not answer" in reason
    assert sink.column("voltage").size == 20
    assert smu.output_on is False
    assert smu.shutdowns == 1


def test_an_abort_is_seen_between_blocks_and_ends_aborted_with_the_data_so_far() -> None:
    smu, sink, abort = FakeSource(), MemorySink(), threading.Event()

    def abort_after_two(percent: float) -> None:
        if percent >= 40:
            abort.set()

    outcome = run_procedure(
        Sweep, instruments={"smu": smu}, parameters={"blocks": 5}, sink=sink, abort=abort, on_progress=abort_after_two
    )
    assert outcome.ending is Ending.ABORTED
    assert sink.column("voltage").size == 20
    assert smu.output_on is False


def test_a_failing_shutdown_fails_the_run_and_names_the_shutdown() -> None:
    ending, reason, _, _, _ = _run(BrokenShutdown, blocks=1)
    assert ending is Ending.FAILED
    assert "shutdown failed" in reason
    assert "connection dropped" in reason


def test_an_unknown_parameter_is_refused_before_the_instruments_are_touched() -> None:
    with pytest.raises(NameError, match="frequency"):
        _run(Sweep, frequency=1.0)

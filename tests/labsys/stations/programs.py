"""A stand-in method for station tests: a source swept in blocks, with faults on request."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import ClassVar

import numpy as np
from pymeasure.experiment import FloatParameter, IntegerParameter

from labsys.methods.models import DecisionRule, TestMethodCreate
from labsys.methods.parts import MethodParameter, SpecLimit
from labsys.stations.connection import Connected, InstrumentRef
from labsys.stations.programs import MethodProgram
from procedures.base import LabProcedure
from results.analysis import Metric
from results.hdf5 import Quantity, RunData

__all__ = ["SWEEP_METHOD", "FakeConnector", "FakeSource", "program", "refusing_program"]


class FakeSource:
    """A source whose output must be off after every run; ``fail_at_block`` makes it time out there."""

    def __init__(self) -> None:
        self.output_on = False
        self.fail_at_block = -1
        self.closed = 0


class Sweep(LabProcedure):
    INSTRUMENT_KINDS: ClassVar[tuple[str, ...]] = ("smu",)
    slope = FloatParameter("Slope", units="A/V", default=0.001)
    blocks = IntegerParameter("Blocks", default=5)
    block_rows = IntegerParameter("Rows per block", default=10_000)
    block_delay = FloatParameter("Delay per block", units="s", default=0.0)

    def startup(self) -> None:
        self.instruments["smu"].output_on = True
        self.sink.define_columns({"voltage": "V", "current": "A"}, axis="voltage", signal="current")

    def execute(self) -> None:
        source = self.instruments["smu"]
        for block in range(int(self.blocks)):
            if self.should_stop():
                return
            if block == source.fail_at_block:
                raise TimeoutError("VI_ERROR_TMO (-1073807339): the source did not answer within 2000 ms")
            voltage = np.linspace(block, block + 1, int(self.block_rows), endpoint=False)
            self.sink.append_rows({"voltage": voltage, "current": self.slope * voltage})
            self.report_progress(100 * (block + 1) / self.blocks)
            time.sleep(self.block_delay)

    def shutdown(self) -> None:
        self.instruments["smu"].output_on = False


def _analyse(data: RunData, _parameters: Mapping[str, float]) -> dict[str, Metric]:
    voltage, current = data.column("voltage"), data.column("current")
    slope = float(np.polyfit(voltage, current, 1)[0])
    return {"slope": Metric("slope", slope, abs(slope) * 0.01, 2.0, "A/V")}


def _analyse_refusing(data: RunData, _parameters: Mapping[str, float]) -> dict[str, Metric]:
    data.column("voltage")
    raise ValueError("the fit did not converge")


program = MethodProgram(Sweep, _analyse, {"fit_order": Quantity(1, "1")})
#: The same method, whose analysis fails on the data it reads.
refusing_program = MethodProgram(Sweep, _analyse_refusing)

SWEEP_METHOD = TestMethodCreate(
    code="SWEEP",
    title="Source sweep (station test)",
    standard="in-house",
    procedure="sweep",
    instrument_kinds=["smu"],
    parameters=[
        MethodParameter(name="slope", unit="A/V", default=0.001, minimum=0.0, maximum=1.0),
        MethodParameter(name="blocks", unit="", default=5, minimum=1, maximum=10_000),
        MethodParameter(name="block_rows", unit="", default=10_000, minimum=1, maximum=100_000),
        MethodParameter(name="block_delay", unit="s", default=0.0, minimum=0.0, maximum=600.0),
    ],
    spec_limits=[SpecLimit(metric="slope", unit="A/V", lower=0.0005, upper=0.002)],
    decision_rule=DecisionRule.GUARD_BAND,
    duration_min=30,
    fee_krw=10_000,
)


class FakeConnector:
    """Opens the one fake source; counts closes; refuses an instrument whose serial is not the expected one."""

    def __init__(self, source: FakeSource, *, serial: str | None = None) -> None:
        self.source = source
        self.serial = serial

    @contextmanager
    def open(self, instrument: InstrumentRef) -> Iterator[Connected]:
        if self.serial is not None and instrument.serial != self.serial:
            raise ConnectionError(
                f"{instrument.asset_tag}: *IDN? reports serial {self.serial}, not {instrument.serial}"
            )
        try:
            yield Connected(self.source, firmware="1.0.0-fake")
        finally:
            self.source.closed += 1

"""A demo method run on a simulated bench as a station runs it, without the lab's database: the procedure through a
real VISA stack into a run file, then the method's analysis of the closed file. For tests that run many benches."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from instruments.drivers import use_instrument
from instruments.kinds import DRIVER_KINDS
from instruments.sim import SimulatedBench
from labsys.demo.methods import DEMO_METHODS
from labsys.stations.analyses import PROGRAMS
from labsys.stations.live import LivePreview
from labsys.stations.sink import RunFileSink
from procedures.runner import Ending, run_procedure
from results.analysis import Metric
from results.hdf5 import Quantity, RunData, RunEntry, RunFileWriter, SampleInfo

__all__ = ["measure"]


def _cabled(bench: SimulatedBench) -> dict[str, str]:
    """The asset tag of each kind of instrument cabled to a fixture (the bench may hold spares of a kind)."""
    tags: dict[str, str] = {}
    for fixture in bench.spec.fixtures:
        for tag in fixture.instruments:
            tags.setdefault(DRIVER_KINDS[bench.instrument_spec(tag).driver], tag)
    return tags


def measure(bench: SimulatedBench, code: str, path: Path, **overrides: float) -> dict[str, Metric]:
    """Run the demo method ``code`` on ``bench`` into the run file ``path`` and analyse the closed file.

    Returns:
        The analysis's metrics, each with its budget (before any floor of the catalog).

    Raises:
        AssertionError: If the procedure did not complete.
    """
    method = next(m for m in DEMO_METHODS if m.code == code)
    program = PROGRAMS[method.procedure]
    parameters = {p.name: float(p.default) for p in method.parameters} | dict(overrides)
    units = {p.name: p.unit or "1" for p in method.parameters}
    tags = _cabled(bench)
    with ExitStack() as stack:
        drivers = {
            kind: stack.enter_context(
                use_instrument(bench.instrument_spec(tags[kind]).driver, bench.resource(tags[kind]))
            ).instrument
            for kind in program.procedure.INSTRUMENT_KINDS
        }
        entry = RunEntry("1", "1", code, "1", datetime.now(UTC), "coverage", "test", method.title)
        writer = RunFileWriter.create(
            path,
            entry,
            SampleInfo("drawn", "a device drawn across the method's range", "as drawn"),
            [],
            {name: Quantity(value, units[name]) for name, value in parameters.items()},
        )
        outcome = run_procedure(
            program.procedure,
            instruments=drivers,
            parameters=parameters,
            sink=RunFileSink(writer, LivePreview()),
            abort=threading.Event(),
        )
    assert outcome.ending is Ending.COMPLETED, outcome.reason
    writer.finish_data()
    writer.close("completed")
    with RunData.open(path) as data:
        return program.analyse(data, _numbers(data.numeric_parameters()))


def _numbers(parameters: Mapping[str, float]) -> dict[str, float]:
    return dict(parameters)

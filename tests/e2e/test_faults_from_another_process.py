"""A fault injected into ``labsys sim`` from another process fails the run with the reason, and the next run on
that instrument completes: the bench, the station and the person injecting are three processes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from instruments.sim import BenchControl, Fault, SimulatedBench
from labsys.db import Database
from labsys.runs.models import Run, RunStatus
from labsys.stations import Station
from labsys.stations.analyses import PROGRAMS
from labsys.stations.visa import VisaConnector
from tests.e2e.lab_on_bench import STATION, BenchLab
from tests.instruments.sim.served_bench import ServedBench, served_bench

pytestmark = [pytest.mark.integration, pytest.mark.slow]

_REPLY_TIMEOUT_MS = 2000  # as in test_faults_on_the_bench: never a healthy reply on a loaded machine


@pytest.fixture(scope="module")
def served() -> Iterator[ServedBench]:
    """``labsys sim`` in a process of its own, shared by the module; every fault is cleared after each test."""
    with served_bench(("labsys", "sim")) as served:
        yield served


@pytest.fixture(autouse=True)
def _faults_cleared(served: ServedBench) -> Iterator[None]:
    yield
    control = BenchControl(port=served.control_port)
    for tag in served.resources:
        control.clear(tag)


@pytest.fixture
def lab(session: Session, served: ServedBench) -> BenchLab:
    return BenchLab.build(session, SimulatedBench.from_yaml(), resources=served.resources)


@pytest.fixture
def station(engine: Engine, tmp_path: Path) -> Station:
    connector = VisaConnector(timeout_ms=_REPLY_TIMEOUT_MS)
    return Station(name=STATION, db=Database(engine), data_dir=tmp_path, programs=PROGRAMS, connector=connector)


def _labsys_sim(served: ServedBench, *arguments: str) -> str:
    """Run ``labsys sim <arguments> --control-port <the bench's>`` as a person in another shell would."""
    command = [sys.executable, "-m", "labsys", "sim", *arguments, "--control-port", str(served.control_port)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout


def _stored(session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id, populate_existing=True)
    session.commit()
    assert run is not None
    return run


def _fails_then_completes(
    session: Session, lab: BenchLab, station: Station, code: str, parameters: dict[str, float]
) -> tuple[Run, Callable[[], Run]]:
    """A run of ``code`` now (the fault is on), and a function that runs the next one (once it is cleared)."""
    failed = lab.queue(session, code, **parameters)
    station.run_once()

    def next_run() -> Run:
        completed = lab.queue(session, code, **parameters)
        station.run_once()
        return _stored(session, completed)

    return _stored(session, failed), next_run


def test_a_fault_injected_with_labsys_sim_fault_fails_the_run_and_after_labsys_sim_clear_the_next_completes(
    session: Session, served: ServedBench, lab: BenchLab, station: Station
) -> None:
    assert _labsys_sim(served, "fault", "SMU-01", "no_reply") == "SMU-01: no_reply\n"
    failed, next_run = _fails_then_completes(session, lab, station, "DIODE-IV", {"points": 21})
    assert failed.status == RunStatus.FAILED
    assert failed.failure_reason.startswith("InstrumentTimeout: "), failed.failure_reason
    assert _labsys_sim(served, "clear", "SMU-01") == "SMU-01: no fault\n"
    completed = next_run()
    assert completed.status == RunStatus.COMPLETED, completed.failure_reason


@pytest.mark.parametrize(
    ("tag", "fault", "code", "parameters", "reason"),
    [
        ("SMU-01", Fault.PARTIAL_LINE, "DIODE-IV", {"points": 21}, "InstrumentTimeout: "),
        ("LCR-01", Fault.LATE_REPLY, "CAP-CD", {"repeats": 2}, "InstrumentTimeout: "),
        (
            "SCOPE-01",
            Fault.DROP_MID_BLOCK,
            "STEP-RISE",
            {"records": 1, "record_points": 200_000},
            "InstrumentDisconnected: ",
        ),
        ("SMU-01", Fault.REFUSED_CONNECTION, "DIODE-IV", {"points": 21}, "InstrumentDisconnected: "),
        ("SMU-01", Fault.GARBAGE, "DIODE-IV", {"points": 21}, "InstrumentProtocolError: "),
    ],
)
def test_a_fault_injected_from_another_process_fails_the_run_with_its_reason_and_the_next_run_completes(
    session: Session,
    served: ServedBench,
    lab: BenchLab,
    station: Station,
    tag: str,
    fault: Fault,
    code: str,
    parameters: dict[str, float],
    reason: str,
) -> None:
    control = BenchControl(port=served.control_port)
    control.inject(tag, fault, delay_s=3 * _REPLY_TIMEOUT_MS / 1000)
    failed, next_run = _fails_then_completes(session, lab, station, code, parameters)
    assert failed.status == RunStatus.FAILED
    assert failed.failure_reason.startswith(reason), failed.failure_reason
    control.clear(tag)
    completed = next_run()
    assert completed.status == RunStatus.COMPLETED, completed.failure_reason


def test_a_fault_on_an_instrument_the_bench_does_not_have_is_refused_with_the_bench_s_tags(
    served: ServedBench,
) -> None:
    command = [sys.executable, "-m", "labsys", "sim", "fault", "SMU-99", "garbage"]
    ended = subprocess.run(
        [*command, "--control-port", str(served.control_port)], check=False, capture_output=True, text=True, timeout=60
    )
    assert ended.returncode != 0
    assert "no instrument 'SMU-99' on the bench; there are SMU-01" in ended.stderr

"""Faults injected and cleared through the bench's control port, as another process does it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import pyvisa
from pyvisa.errors import VisaIOError

from instruments.sim import BenchControl, BenchUnreachable, ControlError, Fault, SimulatedBench
from instruments.sim.control import ControlRequest, parse_request
from tests.e2e.serving import free_port

pytestmark = pytest.mark.integration

_TIMEOUT_MS = 500


@pytest.fixture(scope="module")
def bench() -> Iterator[SimulatedBench]:
    """The demo bench with its control port (faults are cleared after every test, see the conftest)."""
    with SimulatedBench.from_yaml(base_port=0, control_port=0) as bench:
        yield bench


@pytest.fixture
def control(bench: SimulatedBench) -> BenchControl:
    return BenchControl(port=bench.control_port)


def _session(bench: SimulatedBench, tag: str) -> pyvisa.resources.MessageBasedResource:
    session = pyvisa.ResourceManager("@py").open_resource(
        bench.resource(tag), read_termination="\n", write_termination="\n", timeout=_TIMEOUT_MS
    )
    assert isinstance(session, pyvisa.resources.MessageBasedResource)
    return session


@pytest.mark.parametrize("fault", [Fault.NO_REPLY, Fault.PARTIAL_LINE])
def test_a_mute_or_cut_off_instrument_times_out_and_answers_on_a_new_session_once_cleared(
    bench: SimulatedBench, control: BenchControl, fault: Fault
) -> None:
    control.inject("DMM-01", fault)
    failing = _session(bench, "DMM-01")
    with pytest.raises(VisaIOError, match="Timeout"):
        failing.query("*IDN?")
    failing.close()
    control.clear("DMM-01")
    answering = _session(bench, "DMM-01")
    assert answering.query("*IDN?") == bench.instrument_spec("DMM-01").idn
    answering.close()


def test_a_refusing_instrument_takes_no_connection_until_cleared_then_listens_on_the_same_port(
    bench: SimulatedBench, control: BenchControl
) -> None:
    port = bench.port("SMU-01")
    open_before = _session(bench, "SMU-01")
    control.inject("SMU-01", Fault.REFUSED_CONNECTION)
    with pytest.raises(ConnectionRefusedError):  # pyvisa-py reports the refusal on first use
        _session(bench, "SMU-01").query("*IDN?")
    with pytest.raises((VisaIOError, ConnectionError)):  # the open connection was cut too
        open_before.query("*IDN?")
    open_before.close()
    assert _session(bench, "DMM-01").query("*OPC?") == "1"  # the others serve on
    control.clear("SMU-01")
    assert bench.port("SMU-01") == port
    assert _session(bench, "SMU-01").query("*OPC?") == "1"


def test_a_late_reply_comes_after_the_delay_the_control_port_was_given(
    bench: SimulatedBench, control: BenchControl
) -> None:
    control.inject("DMM-01", Fault.LATE_REPLY, delay_s=0.8)
    session = _session(bench, "DMM-01")
    with pytest.raises(VisaIOError, match="Timeout"):
        session.query("*IDN?")
    session.timeout = 2000
    assert session.read() == bench.instrument_spec("DMM-01").idn  # the late reply, still on that connection
    session.close()


def test_an_unknown_instrument_is_refused_with_the_bench_s_tags(control: BenchControl) -> None:
    with pytest.raises(ControlError, match="no instrument 'SMU-99' on the bench; there are SMU-01"):
        control.inject("SMU-99", Fault.GARBAGE)


def test_a_control_port_nobody_listens_on_says_so() -> None:
    with pytest.raises(BenchUnreachable, match="no simulated bench answers"):
        BenchControl(port=free_port()).clear("SMU-01")


def test_control_lines_parse_and_print_as_the_protocol_says() -> None:
    assert parse_request("FAULT SMU-01 late_reply 2.5") == ControlRequest("SMU-01", Fault.LATE_REPLY, 2.5)
    assert parse_request("fault SMU-01 NO_REPLY") == ControlRequest("SMU-01", Fault.NO_REPLY)
    assert parse_request("CLEAR SMU-01") == ControlRequest("SMU-01")
    assert ControlRequest("SMU-01", Fault.LATE_REPLY, 2.5).line() == b"FAULT SMU-01 late_reply 2.5\n"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("FAULT SMU-01 banana", "unknown fault 'banana': one of no_reply, late_reply"),
        ("FAULT SMU-01 late_reply soon", "the delay must be a number of seconds"),
        ("FAULT SMU-01 late_reply -1", "the delay must be a number of seconds"),
        ("RESET SMU-01", "not a control request"),
        ("", "not a control request"),
    ],
)
def test_a_malformed_control_line_is_refused_with_what_is_wrong(line: str, says: str) -> None:
    with pytest.raises(ControlError, match=says):
        parse_request(line)

"""A session that failed is cleared before its next command: the device-clear path of VISA resources."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from instruments.adapter import LabVisaAdapter
from instruments.sim import SimulatedBench

pytestmark = pytest.mark.integration


class RecordingResource:
    """A VISA instrument resource (VXI-11, HiSLIP, USBTMC, GPIB) that records what the adapter asks of it."""

    timeout = 500
    read_termination = "\n"
    write_termination = "\n"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def clear(self) -> None:
        self.calls.append("device clear")

    def flush(self, mask: int) -> None:
        self.calls.append("flush input")

    def write(self, command: str, **kwargs: object) -> None:
        self.calls.append(f"write {command}")

    def close(self) -> None:
        self.calls.append("close")


@pytest.fixture
def adapter(bench: SimulatedBench) -> Iterator[LabVisaAdapter]:
    opened = LabVisaAdapter(
        bench.resource("DMM-01"), visa_library="@py", timeout=500, read_termination="\n", write_termination="\n"
    )
    socket_connection = opened.connection
    yield opened
    socket_connection.close()


def test_a_failed_instrument_session_is_device_cleared_and_flushed_before_its_next_command(
    adapter: LabVisaAdapter,
) -> None:
    resource = RecordingResource()
    adapter.resource_name, adapter.connection = "TCPIP0::192.168.10.21::inst0::INSTR", resource
    adapter.link_failed = True
    adapter.write("MEAS:VOLT:DC?")
    adapter.write("MEAS:VOLT:DC?")
    assert resource.calls == ["device clear", "flush input", "write MEAS:VOLT:DC?", "write MEAS:VOLT:DC?"]


def test_a_healthy_session_is_never_cleared(adapter: LabVisaAdapter) -> None:
    resource = RecordingResource()
    adapter.resource_name, adapter.connection = "GPIB0::22::INSTR", resource
    adapter.write("*CLS")
    assert resource.calls == ["write *CLS"]

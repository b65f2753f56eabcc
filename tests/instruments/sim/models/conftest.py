"""Plain pyvisa sessions to the simulated instruments, as a program on the lab's network opens them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import pyvisa

from instruments.sim import SimulatedBench

Session = pyvisa.resources.MessageBasedResource


@pytest.fixture
def open_session(bench: SimulatedBench) -> Iterator[Callable[[str], Session]]:
    """Open a session to an instrument of the bench by asset tag, its status cleared; all closed afterwards."""
    manager = pyvisa.ResourceManager("@py")
    opened: list[Session] = []

    def open_one(tag: str) -> Session:
        session = manager.open_resource(
            bench.resource(tag), read_termination="\n", write_termination="\n", timeout=2000
        )
        session.write("*CLS")
        opened.append(session)
        return session

    yield open_one
    for session in opened:
        session.close()

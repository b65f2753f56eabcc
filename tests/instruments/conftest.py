"""Fixtures of the instrument tests: a simulated bench on OS-picked loopback ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from instruments.sim import SimulatedBench


@pytest.fixture(scope="module")
def bench() -> Iterator[SimulatedBench]:
    """The demo bench, shared by one test module; faults are cleared after every test."""
    with SimulatedBench.from_yaml(base_port=0) as running:
        yield running


@pytest.fixture(autouse=True)
def _faults_cleared(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that injects a fault never leaves it active for the next one."""
    yield
    if "bench" in request.fixturenames:
        running: SimulatedBench = request.getfixturevalue("bench")
        for tag in running.asset_tags:
            running.clear_faults(tag)

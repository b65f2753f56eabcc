"""Probing a resource: ``*IDN?`` matched against the driver catalogue."""

from __future__ import annotations

import pytest

from instruments.errors import InstrumentDisconnected
from instruments.probe import probe
from instruments.sim import SimulatedBench

pytestmark = pytest.mark.integration


def test_every_bench_instrument_is_matched_to_its_driver(bench: SimulatedBench) -> None:
    for tag in bench.asset_tags:
        spec = bench.instrument_spec(tag)
        found = probe(bench.resource(tag))
        assert found.driver is not None
        assert (found.driver.name, found.identity.serial, found.identity.model) == (
            spec.driver,
            spec.serial,
            spec.model,
        )


def test_nothing_at_the_resource_is_a_disconnected_instrument() -> None:
    with pytest.raises(InstrumentDisconnected):
        probe("TCPIP0::127.0.0.1::1::SOCKET", timeout_ms=500)

"""``labsys equipment probe``: the entry to register for what answers at a resource."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from instruments.identity import Identity
from instruments.probe import Probed
from instruments.sim import SimulatedBench
from labsys.cli import main
from labsys.equipment import probe as probing
from labsys.equipment.probe import proposed_entry, suggested_asset_tag
from labsys.errors import NotFound
from labsys.settings import get_settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bench() -> Iterator[SimulatedBench]:
    with SimulatedBench.from_yaml(base_port=0) as running:
        yield running


def test_the_probe_proposes_the_smu_with_its_driver_kind_and_serial(bench: SimulatedBench) -> None:
    spec = bench.instrument_spec("SMU-01")
    entry = proposed_entry(bench.resource("SMU-01"), station="station-2", visa_library="@py", timeout_ms=2000)
    assert (entry.kind, entry.driver, entry.model, entry.serial) == ("smu", "keithley2450", spec.model, spec.serial)
    assert (entry.resource, entry.station, entry.firmware) == (bench.resource("SMU-01"), "station-2", spec.firmware)
    assert entry.asset_tag.startswith("SMU-")


def test_a_suggested_tag_is_the_kind_and_the_end_of_the_serial() -> None:
    assert suggested_asset_tag("dmm", "MY-5310 0456") == "DMM-53100456"


def test_the_command_prints_the_body_to_post(bench: SimulatedBench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABSYS_STATION_NAME", "bench-pc")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["equipment", "probe", bench.resource("LCR-01")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert (printed["kind"], printed["driver"], printed["station"]) == ("lcr", "agilente4980", "bench-pc")
    assert printed["serial"] == bench.instrument_spec("LCR-01").serial


def test_the_command_says_when_the_resource_is_not_one() -> None:
    result = CliRunner().invoke(main, ["equipment", "probe", "this is not a VISA resource"])
    assert result.exit_code == 1
    assert "is not a VISA resource string" in result.output


def test_an_instrument_the_catalogue_has_no_driver_for_is_said_by_its_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    identity = Identity("ROHDE&SCHWARZ", "NGE103B", "101234", "2.0")
    monkeypatch.setattr(probing, "probe", lambda resource, **_: Probed(resource, identity, None))
    with pytest.raises(NotFound, match="no driver for ROHDE&SCHWARZ NGE103B"):
        proposed_entry("TCPIP0::10.0.0.9::inst0::INSTR", station="s", visa_library="@py", timeout_ms=500)

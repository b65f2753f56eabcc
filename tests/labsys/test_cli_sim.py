"""``labsys sim``: the simulated bench's time scale comes from ``--time-scale``, else ``LABSYS_SIM_TIME_SCALE``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from labsys import cli
from labsys.demo import lab
from labsys.settings import get_settings

pytestmark = pytest.mark.unit


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[dict[str, Any]]]:
    """What ``labsys sim`` would serve the bench with (nothing is served)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(lab, "serve_simulated_bench", lambda **options: calls.append(options))
    monkeypatch.setenv("LABSYS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LABSYS_SIM_TIME_SCALE", raising=False)
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def test_the_time_scale_option_reaches_the_bench(served: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli.main, ["sim", "--base-port", "0", "--time-scale", "1"])
    assert result.exit_code == 0, result.output
    assert served[0]["time_scale"] == 1.0


def test_without_the_option_the_setting_decides_and_without_either_the_bench_file(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert CliRunner().invoke(cli.main, ["sim"]).exit_code == 0
    monkeypatch.setenv("LABSYS_SIM_TIME_SCALE", "0.5")
    get_settings.cache_clear()
    assert CliRunner().invoke(cli.main, ["sim"]).exit_code == 0
    assert [call["time_scale"] for call in served] == [None, 0.5]


def test_a_time_scale_of_zero_is_refused_before_anything_is_served(served: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli.main, ["sim", "--time-scale", "0"])
    assert result.exit_code == 2
    assert "--time-scale" in result.output
    assert served == []

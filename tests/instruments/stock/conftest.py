"""Stock PyMeasure drivers built on the bench's resources, and the summary of what worked at the end of the run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pymeasure.instruments import SCPIUnknownMixin

from instruments.sim import SimulatedBench
from tests.instruments.stock.calls import OUTCOMES


@pytest.fixture
def stock_driver(bench: SimulatedBench) -> Iterator[Callable[..., Any]]:
    """Build a stock driver class on an instrument of the bench, as its documentation shows: a resource string."""
    built: list[Any] = []

    def build(driver_class: type[Any], asset_tag: str) -> Any:
        options = {"visa_library": "@py", "read_termination": "\n", "write_termination": "\n"}
        if issubclass(driver_class, SCPIUnknownMixin):
            with pytest.warns(FutureWarning, match="SCPI"):  # PyMeasure does not know these are SCPI instruments
                driver = driver_class(bench.resource(asset_tag), **options)
        else:
            driver = driver_class(bench.resource(asset_tag), **options)
        # Calls the real instrument does not answer wait for the timeout: a short one keeps the suite quick.
        driver.adapter.connection.timeout = 1000
        built.append(driver)
        return driver

    yield build
    for driver in built:
        driver.adapter.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print how many calls of each stock driver worked, and why each other call did not."""
    if not OUTCOMES:
        return
    terminalreporter.section("stock PyMeasure drivers on the simulated bench")
    for outcome in OUTCOMES.values():
        terminalreporter.write_line(f"{outcome.driver}: {outcome.worked} of {outcome.tried} calls work")
        for name, error in outcome.failures.items():
            reason = outcome.refused.get(name, "NOT a call the real instrument refuses")
            terminalreporter.write_line(f"    {name}: {reason} ({error[:100]})")
    tried = sum(outcome.tried for outcome in OUTCOMES.values())
    worked = sum(outcome.worked for outcome in OUTCOMES.values())
    terminalreporter.write_line(f"in all: {worked} of {tried} calls work ({worked / tried:.1%})")

"""A catalogue of calls to a stock PyMeasure driver, each checking what the simulated device then holds or reads.

A call *works* when it raises nothing, its checks hold, and the instrument queued no error (``SYST:ERR?`` reads
``0``). A catalogue names the calls that do not work with the reason the real instrument refuses them too; the
suite fails both when another call fails and when one of those starts to work (the list would then be wrong).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from instruments.sim import SimulatedBench

__all__ = [
    "OUTCOMES",
    "Outcome",
    "StockCall",
    "control",
    "expect",
    "identifies_as",
    "method",
    "run_catalogue",
    "setting",
]

Check = Callable[[Any, SimulatedBench], None]


@dataclass(frozen=True, slots=True)
class StockCall:
    """One documented property or method of a driver, used as its documentation says, and what to check after."""

    name: str
    run: Check


@dataclass(slots=True)
class Outcome:
    """What a catalogue gave: the calls tried and, for each that failed, why."""

    driver: str
    refused: dict[str, str]
    tried: int = 0
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def worked(self) -> int:
        """Get how many calls worked."""
        return self.tried - len(self.failures)


#: Every catalogue run in this test session, for the summary at its end.
OUTCOMES: dict[str, Outcome] = {}


def _same(read: object, expected: object, rel: float) -> bool:
    if isinstance(expected, float | int) and not isinstance(expected, bool) and isinstance(read, float | int):
        return math.isclose(float(read), float(expected), rel_tol=rel, abs_tol=1e-12)
    return read == expected


def control(
    name: str, value: object, *, read: object = None, ask: tuple[str, float | str] | None = None, rel: float = 1e-6
) -> StockCall:
    """Set a property, read it back through the driver (``read``, default ``value``), and if ``ask`` is given, ask
    the device itself in the manual's long form what it holds."""

    def run(driver: Any, bench: SimulatedBench) -> None:
        setattr(driver, name, value)
        got = getattr(driver, name)
        expected = value if read is None else read
        assert _same(got, expected, rel), f"{name} reads back {got!r}, not {expected!r}"
        if ask is not None:
            query, held = ask
            answer = str(driver.ask(query)).strip()
            if isinstance(held, float):
                assert math.isclose(float(answer), held, rel_tol=rel), f"{query} answers {answer}, not {held}"
            else:
                assert answer == held, f"{query} answers {answer!r}, not {held!r}"

    return StockCall(f"{name} = {value!r}", run)


def setting(name: str, value: object, *, ask: tuple[str, str]) -> StockCall:
    """Set a write-only property, then ask the device in the manual's long form what it holds."""

    def run(driver: Any, bench: SimulatedBench) -> None:
        setattr(driver, name, value)
        query, held = ask
        answer = str(driver.ask(query)).strip()
        assert answer == held, f"{query} answers {answer!r}, not {held!r}"

    return StockCall(f"{name} = {value!r}", run)


def expect(holds: Callable[[Any, SimulatedBench, Any], bool], what: str) -> Callable[[Any, SimulatedBench, Any], None]:
    """Get a check that the result of a call is ``what`` (``holds(driver, bench, result)`` says whether it is)."""

    def check(driver: Any, bench: SimulatedBench, result: object) -> None:
        assert holds(driver, bench, result), f"gave {result!r}, not {what}"

    return check


def identifies_as(asset_tag: str) -> Callable[[Any, SimulatedBench, Any], None]:
    """Get a check that ``id`` answered the bench instrument's ``*IDN?``."""
    return expect(lambda driver, bench, idn: idn == bench.instrument_spec(asset_tag).idn, f"the *IDN? of {asset_tag}")


def method(
    name: str, *args: object, check: Callable[[Any, SimulatedBench, Any], None] | None = None, **kwargs: object
) -> StockCall:
    """Call a method (or read a property when it takes no arguments and is not callable), then check the result."""

    def run(driver: Any, bench: SimulatedBench) -> None:
        attribute = getattr(driver, name)
        result = attribute(*args, **kwargs) if callable(attribute) else attribute
        if check is not None:
            check(driver, bench, result)

    shown = ", ".join([*(repr(a) for a in args), *(f"{k}={v!r}" for k, v in kwargs.items())])
    return StockCall(f"{name}({shown})" if args or kwargs else name, run)


class _ErrorsLogged(logging.Handler):
    """Keeps the errors a driver's own ``check_errors`` read from the instrument (it logs them, and returns)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _driver_errors() -> Iterator[list[str]]:
    handler = _ErrorsLogged()
    logger = logging.getLogger("pymeasure")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def run_catalogue(
    driver_name: str, driver: Any, bench: SimulatedBench, calls: Sequence[StockCall], refused: dict[str, str]
) -> Outcome:
    """Run every call in order; a failed call leaves the session flushed and the error queue cleared for the next.

    Returns:
        What worked and what did not, also kept in :data:`OUTCOMES`.
    """
    outcome = Outcome(driver_name, refused)
    for call in calls:
        outcome.tried += 1
        try:
            with _driver_errors() as logged:
                call.run(driver, bench)
                errors = driver.check_errors()
            assert not errors, f"the instrument queued {errors}"
            assert not logged, f"the instrument reported {logged}"
        except Exception as error:  # any failure of a call is what the catalogue records
            outcome.failures[call.name] = f"{type(error).__name__}: {error}"
            driver.adapter.flush_read_buffer()
            driver.write("*CLS")
    OUTCOMES[driver_name] = outcome
    return outcome


def unexpected(outcome: Outcome, refused: dict[str, str]) -> str:
    """Describe where the outcome and the list of refused calls disagree (empty if they agree)."""
    lines = [f"fails, though the real instrument takes it: {name}: {why}" for name, why in outcome.failures.items()
             if name not in refused]  # fmt: skip
    lines += [f"works, though listed as refused: {name}" for name in refused if name not in outcome.failures]
    return "\n".join(lines)

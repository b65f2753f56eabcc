"""The headless runner: runs a procedure without PyMeasure's Qt queue, with progress, abort and safe shutdown."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from procedures.base import InstrumentSettings, LabProcedure
from procedures.sink import DataSink

__all__ = ["Ending", "ProcedureOutcome", "instrument_settings", "run_procedure"]

log = logging.getLogger(__name__)


class Ending(StrEnum):
    """How a procedure ended."""

    COMPLETED = "completed"
    ABORTED = "aborted"
    FAILED = "failed"


@dataclass(frozen=True)
class ProcedureOutcome:
    """How the run went: its ending, and the reason when it did not complete."""

    ending: Ending
    reason: str = ""
    shutdown_error: str = ""


def instrument_settings(procedure_class: type[LabProcedure], parameters: Mapping[str, float]) -> InstrumentSettings:
    """The settings a procedure gives each kind of instrument with these parameters, before it runs (no I/O)."""
    procedure = procedure_class()
    procedure.set_parameters(dict(parameters))
    return procedure.instrument_settings()


def run_procedure(
    procedure_class: type[LabProcedure],
    *,
    instruments: Mapping[str, Any],
    parameters: Mapping[str, float],
    sink: DataSink,
    abort: threading.Event,
    on_progress: Callable[[float], None] = lambda _percent: None,
) -> ProcedureOutcome:
    """Run one procedure to its end in the calling thread.

    The runner assigns ``emit`` and ``should_stop`` itself (as PyMeasure's Worker does), then calls
    ``startup``, ``execute`` and — always, also when ``execute`` raised or the run was aborted — ``shutdown``.

    Args:
        procedure_class: the method's procedure.
        instruments: instrument kind → connected driver.
        parameters: exact parameter values by name (units as the method declares them).
        sink: where rows and waveforms go.
        abort: set it to ask the procedure to stop at its next check.
        on_progress: called with 0 to 100 % as the procedure reports progress.

    Returns:
        completed, aborted (the abort event was seen), or failed with the exception's message.
    """
    procedure = procedure_class()
    procedure.set_parameters(dict(parameters))
    procedure.instruments = instruments
    procedure.sink = sink
    procedure.should_stop = abort.is_set
    procedure.emit = lambda topic, record: on_progress(float(record)) if topic == "progress" else None
    outcome = ProcedureOutcome(Ending.COMPLETED)
    try:
        procedure.startup()
        procedure.execute()
    except Exception as exc:
        log.warning("procedure %s failed: %s", procedure_class.__name__, exc)
        outcome = ProcedureOutcome(Ending.FAILED, f"{type(exc).__name__}: {exc}")
    finally:
        shutdown_error = _shut_down(procedure)
    if outcome.ending is Ending.COMPLETED and abort.is_set():
        outcome = ProcedureOutcome(Ending.ABORTED, "aborted on request")
    if shutdown_error:
        return ProcedureOutcome(
            Ending.FAILED if outcome.ending is Ending.COMPLETED else outcome.ending,
            outcome.reason or f"shutdown failed: {shutdown_error}",
            shutdown_error,
        )
    return outcome


def _shut_down(procedure: LabProcedure) -> str:
    try:
        procedure.shutdown()
    except Exception as exc:
        log.error("shutdown of %s failed: %s", type(procedure).__name__, exc)
        return f"{type(exc).__name__}: {exc}"
    return ""

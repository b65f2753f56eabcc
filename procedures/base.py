"""The base of every lab procedure: PyMeasure's Procedure with the lab's instruments, sink and progress."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pymeasure.experiment import Procedure

from procedures.sink import DataSink

__all__ = ["LabProcedure"]


class LabProcedure(Procedure):  # type: ignore[misc]  # PyMeasure is untyped
    """A test method's procedure.

    The runner sets ``instruments`` (instrument kind → connected driver), ``sink`` and the parameters before
    :meth:`startup`. ``execute`` reports progress with :meth:`report_progress` and polls
    :meth:`should_stop` between instrument operations: abort is cooperative, nothing interrupts a blocking
    instrument read. ``shutdown`` must leave every instrument safe (outputs off) and runs whatever happened.
    """

    #: The instrument kinds the procedure drives, as the catalog names them.
    INSTRUMENT_KINDS: ClassVar[tuple[str, ...]] = ()

    instruments: Mapping[str, Any]
    sink: DataSink

    def report_progress(self, percent: float) -> None:
        """Report how far the run is, 0 to 100 %."""
        self.emit("progress", max(0.0, min(100.0, percent)))

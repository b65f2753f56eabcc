"""The base of every lab procedure: PyMeasure's Procedure with the lab's instruments, sink and progress."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pymeasure.experiment import Procedure

from procedures.sink import DataSink

__all__ = ["InstrumentSettings", "LabProcedure", "SettingValue"]

#: One instrument setting's value: a number (its unit in the setting's name), a word or a switch.
SettingValue = str | float | bool
#: Instrument kind → setting name → value, e.g. ``{"smu": {"nplc": 1.0, "remote_sense": True}}``.
InstrumentSettings = dict[str, dict[str, SettingValue]]


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

    def instrument_settings(self) -> InstrumentSettings:
        """Get the settings the procedure gives its instruments, from its parameters (no instrument I/O).

        Ranges, integration time, sense mode, coupling, input impedance...: what a budget needs to know of how a
        reading was taken and a run file keeps beside the data. Names carry their units (``nplc``, ``offset_v``).
        """
        return {}

    def report_progress(self, percent: float) -> None:
        """Report how far the run is, 0 to 100 %."""
        self.emit("progress", max(0.0, min(100.0, percent)))

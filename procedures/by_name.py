"""The procedure of every method in the catalog, by the name ``TestMethod.procedure`` stores."""

from __future__ import annotations

from procedures.base import LabProcedure
from procedures.capacitance_df import CapacitanceDF
from procedures.diode_iv import DiodeIV
from procedures.resistance_tcr import ResistanceTCR
from procedures.step_response import StepResponse

__all__ = ["PROCEDURES"]

PROCEDURES: dict[str, type[LabProcedure]] = {
    "diode_iv": DiodeIV,
    "resistance_tcr": ResistanceTCR,
    "step_response": StepResponse,
    "capacitance_df": CapacitanceDF,
}

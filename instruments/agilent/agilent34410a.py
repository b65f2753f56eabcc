"""Agilent/Keysight 34410A digital multimeter: PyMeasure's driver, known to be SCPI.

PyMeasure marks the 34410A "not known to support SCPI" and warns (``FutureWarning``) on every
construction. The 34410A is a SCPI instrument (its manual is a SCPI reference), so this class builds
the stock driver without that warning instead of filtering warnings process-wide.
"""

from __future__ import annotations

from typing import Any

from pymeasure.instruments import SCPIUnknownMixin
from pymeasure.instruments.agilent import Agilent34410A as StockAgilent34410A

__all__ = ["Agilent34410A"]


class Agilent34410A(StockAgilent34410A):  # type: ignore[misc]  # pymeasure is untyped
    """Agilent 34410A 6½-digit multimeter.

    Measurements used by the lab: ``resistance`` and ``resistance_4w`` (Ω), ``voltage_dc`` (V),
    ``current_dc`` (A), each with auto range and default resolution (``DEF,DEF``).

    Args:
        adapter: A VISA resource string or a PyMeasure adapter.
        name: The name used in PyMeasure's log.
        **kwargs: Passed to :class:`pymeasure.instruments.Instrument`.
    """

    def __init__(self, adapter: Any, name: str = "Agilent 34410A Multimeter", **kwargs: Any) -> None:
        # Skip SCPIUnknownMixin.__init__ (only a warning) and go on with SCPIMixin's.
        super(SCPIUnknownMixin, self).__init__(adapter, name, **kwargs)

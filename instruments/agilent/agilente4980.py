"""Agilent/Keysight E4980A precision LCR meter: PyMeasure's driver, without I/O at construction.

The stock class warns that SCPI support is unknown (the E4980A is SCPI), sets a 30 s timeout and writes
``FORM ASC`` in ``__init__``. Building a driver must not talk to the instrument (a station builds drivers before it
owns them), so ``FORM ASC`` moves to :meth:`AgilentE4980.prepare`, which :func:`instruments.drivers.connect` calls
once the instrument has been identified, and the 30 s (:attr:`AgilentE4980.TIMEOUT_MS`: a measurement at long
integration time with averaging takes seconds) is the driver entry's timeout. The stock ``self.timeout = 30000``
sets an attribute no read uses in PyMeasure 0.16; the lab applies it to the VISA session.
"""

from __future__ import annotations

from typing import Any

from pymeasure.instruments import SCPIUnknownMixin
from pymeasure.instruments.agilent import AgilentE4980 as StockAgilentE4980

__all__ = ["AgilentE4980"]


class AgilentE4980(StockAgilentE4980):  # type: ignore[misc]  # pymeasure is untyped
    """Agilent E4980A LCR meter (20 Hz to 2 MHz).

    Used by the lab: ``mode`` (e.g. ``"CPD"``: parallel capacitance in F and dissipation factor),
    ``frequency`` (Hz, 20 to 2e6), ``ac_voltage`` (V, 0 to 20) and ``impedance`` (the two values
    of ``mode``).

    Args:
        adapter: A VISA resource string or a PyMeasure adapter.
        name: The name used in PyMeasure's log.
        **kwargs: Passed to :class:`pymeasure.instruments.Instrument`.
    """

    #: The reply timeout the stock driver asks for, in ms.
    TIMEOUT_MS = 30_000

    def __init__(self, adapter: Any, name: str = "Agilent E4980A LCR meter", **kwargs: Any) -> None:
        # Skip SCPIUnknownMixin.__init__ (a warning) and AgilentE4980.__init__ (I/O).
        super(SCPIUnknownMixin, self).__init__(adapter, name, **kwargs)

    def prepare(self) -> None:
        """Do what the stock driver's ``__init__`` sends: ASCII replies (``FORM ASC``)."""
        self.select_ascii_format()

    def select_ascii_format(self) -> None:
        """Set the data format of measurement replies to ASCII (``FORM ASC``)."""
        self.write("FORM ASC")

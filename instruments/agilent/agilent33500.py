"""Agilent/Keysight 33500 series function generator: PyMeasure's driver fits as it is.

Its levels already refuse out-of-range values (strict validators) and it speaks SCPI.
"""

from __future__ import annotations

from pymeasure.instruments.agilent import Agilent33500

__all__ = ["Agilent33500"]

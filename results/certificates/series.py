"""Curves a report plots: a measured series and the lines (fits, limits) drawn over it, each in its units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only named in annotations: a command that handles certificates without plotting does not load numpy.
    import numpy as np
    import numpy.typing as npt

__all__ = ["PlotLine", "PlotSeries"]


@dataclass(frozen=True, eq=False)
class PlotLine:
    """A line drawn over a measured curve, in its units: a fitted model, or a limit (dashed).

    Raises:
        ValueError: if ``x`` and ``y`` are not one-dimensional arrays of the same length.
    """

    label: str
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    dashed: bool = False

    def __post_init__(self) -> None:
        if self.x.ndim != 1 or self.x.shape != self.y.shape:
            raise ValueError("x and y must be one-dimensional and of the same length")


@dataclass(frozen=True, eq=False)
class PlotSeries:
    """One measured curve to plot: ``y`` against ``x``, each with its label and unit.

    Compared by identity (numpy arrays have no single truth value).

    Raises:
        ValueError: if ``x`` and ``y`` are not one-dimensional arrays of the same length.
    """

    title: str
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    x_label: str
    x_unit: str
    y_label: str
    y_unit: str
    overlays: tuple[PlotLine, ...] = ()

    def __post_init__(self) -> None:
        if self.x.ndim != 1 or self.x.shape != self.y.shape:
            raise ValueError("x and y must be one-dimensional and of the same length")

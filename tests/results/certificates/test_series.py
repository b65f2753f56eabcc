"""A plotted curve refuses axes that cannot be drawn against each other."""

from __future__ import annotations

import numpy as np
import pytest

from results.certificates.series import PlotSeries

pytestmark = pytest.mark.unit


def test_a_plot_series_with_mismatched_axes_is_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        PlotSeries("t", np.zeros(3), np.zeros(4), "Time", "s", "Voltage", "V")
